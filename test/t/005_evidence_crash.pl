# 005_evidence_crash.pl -- evidence chains survive a crash: while eight
# clients append to ten chains, the server is killed; after recovery every
# committed entry is there and every chain verifies.  Also appends from
# eight clients to one chain and to a thousand chains verify, and so do the
# entries of punches and their alerts inserted by eight clients, one and
# five per statement, with a crash in the middle.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('evidence');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres',
	q{INSERT INTO hrguard.employee (employee_id) SELECT 'C' || g FROM generate_series(1, 1000) g});
# P1..P10 have a schedule without windows: every punch of theirs is off
# hours and raises an alert, whatever the hour the test runs at
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.schedule (name) VALUES ('no working hours');
	INSERT INTO hrguard.employee (employee_id, schedule_id)
	SELECT 'P' || g, schedule_id FROM hrguard.schedule, generate_series(1, 10) g});

# run pgbench with a script; returns its handle
sub run_pgbench
{
	my ($name, $seconds, @lines) = @_;
	my $script = "$PostgreSQL::Test::Utils::tmp_check/$name.sql";
	open(my $fh, '>', $script) or die $!;
	print $fh "$_\n" for @lines;
	close($fh);
	my ($out, $err) = ('', '');
	return IPC::Run::start(
		[ 'pgbench', '-n', '-c', '8', '-j', '2', '-T', $seconds, '-f', $script,
		  '-h', $node->host, '-p', $node->port, 'postgres' ],
		'>', \$out, '2>', \$err);
}

# pgbench appending to chains C1..C$chains
sub appenders
{
	my ($chains, $seconds) = @_;
	return run_pgbench("append_$chains", $seconds, "\\set c random(1, $chains)",
		"SELECT hrguard.record_evidence('C' || :c, 'note', jsonb_build_object('c', :c), now());");
}

# pgbench inserting punches of employees P1..P10 (off hours: every punch
# raises an alert), one per statement or five, in employee order
sub punchers
{
	my ($seconds) = @_;
	return run_pgbench('punch', $seconds, '\set c random(1, 10)',
		q{INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) }
		  . q{VALUES ('P' || :c, now(), 31.2 + random() / 10, 121.4 + random() / 10, 'phone-' || :c);},
		q{INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id) }
		  . q{SELECT 'P' || g, now(), 31.2 + random() / 10, 121.4 + random() / 10, 'phone-' || g }
		  . q{FROM generate_series(:c, :c + 4) g WHERE g <= 10 ORDER BY 'P' || g;});
}

# chain heads that do not end where their chains do
sub heads_off_chain_end
{
	return $node->safe_psql('postgres', q{
		SELECT count(*) FROM hrguard.chain_head h
		 WHERE h.seq <> (SELECT coalesce(max(seq), 0) FROM hrguard.evidence e
						  WHERE e.employee_id = h.employee_id)});
}

sub all_verify
{
	return $node->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE NOT ok) || ' bad of ' || count(*) || ' chains, '
				 || coalesce(sum(entries), 0) || ' entries' FROM hrguard.verify_all()});
}

# eight clients on one chain, then on a thousand
my $h = appenders(1, 3);
$h->finish;
like(all_verify(), qr/^0 bad of 1 chains, [1-9]\d* entries$/, 'eight clients on one chain: it verifies');
$h = appenders(1000, 3);
$h->finish;
like(all_verify(), qr/^0 bad of \d+ chains/, 'eight clients on a thousand chains: all verify');

# a crash in the middle of appends
my $before = $node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.evidence');
$h = appenders(10, 30);
sleep 3;
my $during = $node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.evidence');
$node->stop('immediate');
$h->finish;
$node->start;

my $after = $node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.evidence');
cmp_ok($after, '>=', $during, 'every entry committed before the crash is there');
cmp_ok($after, '>', $before, 'entries were appended during the test');
like(all_verify(), qr/^0 bad of \d+ chains/, 'every chain verifies after crash recovery');
is(heads_off_chain_end(), '0', 'every head ends where its chain does');
is($node->safe_psql('postgres', q{SELECT hrguard.record_evidence('C1', 'note', '{"after": 1}', now()) > 0}),
	't', 'appending works after recovery');

# punches and their alerts from eight clients, then a crash in the middle
sub punch_entries
{
	return $node->safe_psql('postgres', q{
		SELECT (SELECT count(*) FROM hrguard.punch) || ' punches, '
			   || (SELECT count(*) FROM hrguard.punch p JOIN hrguard.evidence e
					 ON e.employee_id = p.employee_id AND e.seq = p.evidence_seq AND e.kind = 'punch') || ' with their entry, '
			   || (SELECT count(*) FROM hrguard.alert) || ' alerts, '
			   || (SELECT count(*) FROM hrguard.evidence WHERE kind = 'alert') || ' alert entries'});
}
$h = punchers(3);
$h->finish;
like(punch_entries(), qr/^([1-9]\d*) punches, \1 with their entry, ([1-9]\d*) alerts, \2 alert entries$/,
	'eight clients inserting punches: every punch and alert has its entry');
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.verify_facts()'), '0',
	'and verify_facts finds nothing missing or claimed');
like(all_verify(), qr/^0 bad of \d+ chains/, 'and every chain verifies');
$h = punchers(30);
sleep 3;
$node->stop('immediate');
$h->finish;
$node->start;
like(punch_entries(), qr/^(\d+) punches, \1 with their entry, (\d+) alerts, \2 alert entries$/,
	'after a crash during punches: every committed punch and alert has its entry');
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.verify_facts()'), '0',
	'and verify_facts finds every punch and alert with the entry that says what it says');
like(all_verify(), qr/^0 bad of \d+ chains/, 'and every chain verifies');
is(heads_off_chain_end(), '0', 'every head still ends where its chain does');

$node->stop;
done_testing();
