# 003_relay_restart.pl -- in notify_mode relay, hrguard.relay_alerts()
# notifies every committed alert exactly once, in batches, across a clean
# restart and a crash of the server.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('relay');
$node->init;
$node->append_conf('postgresql.conf', "hrguard.notify_mode = 'relay'");
$node->start;

$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres', q{INSERT INTO hrguard.employee (employee_id) VALUES ('R1'), ('R2')});

# Sunday-night punches, each raising one off_hours alert
sub punch
{
	my ($n, $employee) = @_;
	$node->safe_psql('postgres', qq{
		INSERT INTO hrguard.punch (employee_id, punched_at)
		SELECT '$employee', timestamptz '2026-11-22 01:00+08' + g * interval '1 minute'
		  FROM generate_series(1, $n) g});
}

# one relay batch, as a LISTEN client would see it: the alert ids notified
sub relay
{
	my ($batch) = @_;
	my ($rc, $out, $err) = $node->psql('postgres',
		"LISTEN hrguard_alert; SELECT hrguard.relay_alerts($batch);");
	die "relay failed: $err" if $rc != 0;
	return ($out =~ /"alert_id":(\d+)/g);
}

my @seen;
punch(5, 'R1');
is(scalar(() = relay(100)), 5, 'relay sends the five alerts committed so far');
push @seen, relay(100);		# nothing new: the ids were taken above
is(scalar(@seen), 0, 'a second relay sends nothing');

punch(7, 'R2');
push @seen, relay(3);
is(scalar(@seen), 3, 'a batch of 3 sends 3');

$node->restart;
push @seen, relay(3);
is(scalar(@seen), 6, 'after a restart the relay continues where it stopped');

$node->stop('immediate');
$node->start;
punch(2, 'R1');
push @seen, relay(100);
is(scalar(@seen), 9, 'after a crash the rest is sent once');

my %count;
$count{$_}++ for @seen;
is(scalar(grep { $count{$_} > 1 } keys %count), 0, 'no alert notified twice');
my $expected = $node->safe_psql('postgres',
	q{SELECT string_agg(alert_id::text, ',' ORDER BY alert_id) FROM hrguard.alert WHERE employee_id = 'R2' OR alert_id > 12});
is(join(',', sort { $a <=> $b } @seen), $expected,
	'exactly the alerts committed after the first batch were sent');
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.alert WHERE notified'), '0',
	'no inserting transaction notified in relay mode');

$node->stop;
done_testing();
