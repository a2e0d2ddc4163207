# 004_relay_worker.pl -- with hrguard preloaded and hrguard.relay_database
# set, the relay worker notifies every committed alert once, without anyone
# calling hrguard.relay_alerts(), also after a restart; a LISTEN client
# receives them.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('worker');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'hrguard'
hrguard.relay_database = 'postgres'
hrguard.relay_interval_ms = 100
hrguard.notify_mode = 'relay'
});
$node->start;

$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres', q{INSERT INTO hrguard.employee (employee_id) VALUES ('W1')});
ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'the relay worker runs');

my $listener = $node->background_psql('postgres');
$listener->query_safe('LISTEN hrguard_alert');

# Sunday-night punches raise one off_hours alert each
sub punch
{
	my ($n, $from) = @_;
	$node->safe_psql('postgres', qq{
		INSERT INTO hrguard.punch (employee_id, punched_at)
		SELECT 'W1', timestamptz '2026-11-22 01:00+08' + (g + $from) * interval '1 minute'
		  FROM generate_series(1, $n) g});
}

sub relayed_all
{
	return $node->poll_query_until('postgres', q{
		SELECT s.last_alert_id = (SELECT max(alert_id) FROM hrguard.alert)
		  FROM hrguard.relay_state s});
}

# the alert ids a LISTEN client has received, shown when it next runs a query
sub received
{
	my $out = $listener->query_safe('SELECT 1');
	return ($out =~ /"alert_id":(\d+)/g);
}

punch(4, 0);
ok(relayed_all(), 'the worker relays the first alerts');
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.alert WHERE notified'), '0',
	'the inserting transactions notified nothing themselves');
my @got = received();
is(join(',', @got),
	$node->safe_psql('postgres', q{SELECT string_agg(alert_id::text, ',' ORDER BY alert_id) FROM hrguard.alert}),
	'the listener received each alert once, in order');
$listener->quit;

$node->restart;
punch(3, 10);
ok(relayed_all(), 'after a restart the worker relays the new alerts');
ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'the relay worker runs again after the restart');
is($node->safe_psql('postgres', q{SELECT count(*) FROM hrguard.alert}), '7', 'seven alerts');

$node->stop;
done_testing();
