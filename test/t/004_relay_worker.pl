# 004_relay_worker.pl -- with hrguard preloaded and hrguard.relay_databases
# naming one database, its relay worker notifies every committed alert once, without anyone
# calling hrguard.relay_alerts(), also after a restart; a LISTEN client
# receives them.  With hrguard.checkpoint_interval set, the worker takes
# checkpoints of the evidence log on its own, and a client listening on
# hrguard_checkpoint receives every new body.  A cancel leaves the worker
# and the launcher running; a terminated launcher comes back; a value of
# hrguard.relay_databases that is not a list stops the server from
# starting; a listed database that does not exist is named once.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('worker');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'hrguard'
hrguard.relay_databases = 'postgres'
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
	# every alert was sent in the relay's first pass (those before
	# era_first_alert_id) or by a round whose snapshot saw it committed
	return $node->poll_query_until('postgres', q{
		SELECT bool_and(a.alert_id < s.era_first_alert_id
						OR pg_visible_in_snapshot(a.xid, s.sent_through))
		  FROM hrguard.alert a, hrguard.relay_state s});
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

# scheduled checkpoints: none so far; with an interval of one second the
# worker logs every entry, and each new body reaches a LISTEN client
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.log_checkpoint'), '0', 'no checkpoint yet');
my $archiver = $node->background_psql('postgres');
$archiver->query_safe('LISTEN hrguard_checkpoint');
$node->append_conf('postgresql.conf', 'hrguard.checkpoint_interval = 1');
$node->reload;
ok($node->poll_query_until('postgres', q{
		SELECT max(tree_size) = (SELECT count(*) FROM hrguard.evidence) FROM hrguard.log_checkpoint}),
	'the worker takes a checkpoint of every entry');
$node->safe_psql('postgres', q{SELECT hrguard.record_evidence('W1', 'note', '{"text": "later"}', now())});
ok($node->poll_query_until('postgres', q{
		SELECT max(tree_size) = (SELECT count(*) FROM hrguard.evidence) FROM hrguard.log_checkpoint}),
	'and a later one of the entry recorded since');
my $bodies = $node->safe_psql('postgres', q{SELECT count(*) FROM hrguard.log_checkpoint});
cmp_ok($bodies, '>=', 2, 'two checkpoints or more');
my $heard = $archiver->query_safe('SELECT 1');
my @sizes = ($heard =~ /size (\d+)/g);
is(join(',', @sizes),
	$node->safe_psql('postgres', q{SELECT string_agg(tree_size::text, ',' ORDER BY tree_size) FROM hrguard.log_checkpoint}),
	'the archiver received every new body once, in order');
like($heard, qr{hrguard/v2/checkpoint}, 'the notification is the body');
is($node->safe_psql('postgres', q{
		SELECT bool_and(v.ok) FROM hrguard.log_checkpoint c, hrguard.verify_checkpoint(c.body) v}),
	't', 'every scheduled checkpoint verifies');
# with nothing new, no new checkpoint and no notification
sleep 3;
is($node->safe_psql('postgres', q{SELECT count(*) FROM hrguard.log_checkpoint}), $bodies,
	'nothing new: no new checkpoint');
$archiver->quit;

# a scheduled checkpoint that fails is reported, and the worker goes on
my $worker_pid = $node->safe_psql('postgres',
	q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'});
my $log_offset = -s $node->logfile;
my $frontier = $node->safe_psql('postgres', q{
	SELECT encode(frontier, 'hex') FROM hrguard.log_checkpoint
	 WHERE tree_size = (SELECT max(tree_size) FROM hrguard.log_checkpoint)});
$node->safe_psql('postgres', q{
	ALTER TABLE hrguard.log_checkpoint DISABLE TRIGGER log_checkpoint_guard;
	UPDATE hrguard.log_checkpoint SET frontier = decode(repeat('00', length(frontier)), 'hex')
	 WHERE tree_size = (SELECT max(tree_size) FROM hrguard.log_checkpoint);
	ALTER TABLE hrguard.log_checkpoint ENABLE ALWAYS TRIGGER log_checkpoint_guard;
	SELECT hrguard.record_evidence('W1', 'note', '{"text": "after the damage"}', now());});
ok($node->wait_for_log(qr/the frontier of checkpoint \d+ does not give its root/, $log_offset),
	'a failed scheduled checkpoint is reported in the server log');
# the damage repaired, the worker's checkpoints succeed again (and the
# server log stays free of their errors for what follows)
$node->safe_psql('postgres', qq{
	ALTER TABLE hrguard.log_checkpoint DISABLE TRIGGER log_checkpoint_guard;
	UPDATE hrguard.log_checkpoint SET frontier = decode('$frontier', 'hex')
	 WHERE tree_size = (SELECT max(tree_size) FROM hrguard.log_checkpoint);
	ALTER TABLE hrguard.log_checkpoint ENABLE ALWAYS TRIGGER log_checkpoint_guard;});
ok($node->poll_query_until('postgres', q{
		SELECT max(tree_size) = (SELECT count(*) FROM hrguard.evidence) FROM hrguard.log_checkpoint}),
	'repaired, the worker takes checkpoints again');
punch(2, 20);
ok(relayed_all(), 'and the worker still relays alerts');
is($node->safe_psql('postgres',
		q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	$worker_pid, 'the same worker, not a restarted one');

# a database made read-only for everyone: the worker still relays (it
# writes its own position); a failing round is reported once, not in a
# restart loop
$log_offset = -s $node->logfile;
$node->safe_psql('postgres', q{ALTER SYSTEM SET default_transaction_read_only = on});
$node->reload;
$node->safe_psql('postgres', q{
	SET default_transaction_read_only = off;
	INSERT INTO hrguard.punch (employee_id, punched_at)
	SELECT 'W1', timestamptz '2026-11-22 01:00+08' + (g + 30) * interval '1 minute'
	  FROM generate_series(1, 2) g});
ok(relayed_all(), 'with default_transaction_read_only on, the worker relays');
$node->safe_psql('postgres', q{ALTER SYSTEM RESET default_transaction_read_only});
$node->reload;
$node->safe_psql('postgres', q{
	ALTER TABLE hrguard.relay_state ADD CONSTRAINT relay_blocked CHECK (round_alert_id < 0) NOT VALID});
punch(1, 40);
ok($node->wait_for_log(qr/hrguard alert relay in database "postgres" cannot relay/, $log_offset),
	'a failing relay round is reported');
sleep(3);
my $log = slurp_file($node->logfile, $log_offset);
my @reports = ($log =~ /cannot relay/g);
is(scalar(@reports), 1, 'once, not at every retry');
unlike($log, qr/terminated by exit code|background worker "hrguard alert relay".*exited/,
	'the worker did not exit');
$node->safe_psql('postgres', q{ALTER TABLE hrguard.relay_state DROP CONSTRAINT relay_blocked});
ok(relayed_all(), 'once the cause is gone it relays again');
ok($node->wait_for_log(qr/hrguard alert relay in database "postgres" relays again/, $log_offset),
	'and says so');

# hrguard.relay_databases is a server-start setting: a reload does not move
# the worker
$log_offset = -s $node->logfile;
$node->append_conf('postgresql.conf', q{hrguard.relay_databases = '*'});
$node->reload;
ok($node->wait_for_log(qr/parameter "hrguard.relay_databases" cannot be changed without restarting the server/,
		$log_offset), 'changing relay_databases is refused until a restart');
punch(1, 50);
ok(relayed_all(), 'and the worker goes on relaying in its database');
is($node->safe_psql('postgres', q{SHOW hrguard.relay_databases}), 'postgres', 'which the setting still names');

# a cancel between rounds is dropped: the worker and the launcher stay
sub relay_pid
{
	my ($type) = @_;
	return $node->safe_psql('postgres', qq{SELECT pid FROM pg_stat_activity WHERE backend_type = '$type'});
}
$worker_pid = relay_pid('hrguard alert relay');
my $launcher_pid = relay_pid('hrguard relay launcher');
$node->safe_psql('postgres', qq{SELECT pg_cancel_backend($worker_pid), pg_cancel_backend($launcher_pid)});
sleep 1;
punch(1, 60);
ok(relayed_all(), 'after a cancel the worker relays');
is(relay_pid('hrguard alert relay'), $worker_pid, 'the same worker');
is(relay_pid('hrguard relay launcher'), $launcher_pid, 'the same launcher');

# a terminated launcher is started again by the postmaster
$node->safe_psql('postgres', qq{SELECT pg_terminate_backend($launcher_pid)});
ok($node->poll_query_until('postgres', qq{
		SELECT count(*) = 1 FROM pg_stat_activity
		 WHERE backend_type = 'hrguard relay launcher' AND pid <> $launcher_pid}),
	'a terminated launcher comes back');

# a fast shutdown ends the worker without an error
$log_offset = -s $node->logfile;
$node->stop('fast');
$log = slurp_file($node->logfile, $log_offset);
unlike($log, qr/FATAL|ERROR/, 'a fast shutdown logs no FATAL or ERROR');

# a value of relay_databases that is not a list stops the server from
# starting, as PostgreSQL's own settings do, rather than falling back to
# '*' and starting workers everywhere
foreach my $bad (q{'*, postgres'}, q{'postgres,,other'}, q{'"unterminated'})
{
	$node->append_conf('postgresql.conf', "hrguard.relay_databases = $bad");
	$log_offset = -s $node->logfile;
	ok(!$node->start(fail_ok => 1), "relay_databases = $bad: the server does not start");
	like(slurp_file($node->logfile, $log_offset), qr/FATAL:  hrguard.relay_databases is not a valid list of databases/,
		'and says why');
}
# a name that is no database is named in a WARNING, once
$node->append_conf('postgresql.conf', q{hrguard.relay_databases = 'nowhere, postgres'});
$log_offset = -s $node->logfile;
$node->start;
ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'the database the list names gets its worker');
sleep 11;
$log = slurp_file($node->logfile, $log_offset);
is(scalar(() = $log =~ /hrguard.relay_databases names database "nowhere", which does not exist/g), 1,
	'the missing one is named once');
$node->stop('fast');
# a list of no names: no launcher, and no worker
$node->append_conf('postgresql.conf', q{hrguard.relay_databases = ' '});
$node->start;
sleep 2;
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM pg_stat_activity
		 WHERE backend_type IN ('hrguard relay launcher', 'hrguard alert relay')}),
	'0', 'relay_databases naming no database: no launcher');
$node->stop('fast');
done_testing();
