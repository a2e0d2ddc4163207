# 010_relay_databases.pl -- with hrguard preloaded, every database that has
# hrguard gets its own relay worker (one log line each) and its scheduled
# checkpoints; a database without hrguard gets none.  Delivery waits for
# nothing but the alert's own commit: not for a long transaction or a
# prepared one in another database, not for an older prepared transaction
# in the same one; every committed alert reaches a listener exactly once.
# Dropping hrguard stops a database's worker once, without a restart loop;
# DROP DATABASE and ALTER DATABASE ... RENAME work while a worker runs, and
# copies of a template by any role with CREATEDB; a database made a
# template loses its worker; a
# database that gets hrguard later gets a worker; a database for which no
# worker slot is free is named in one WARNING; a fast shutdown logs
# nothing above LOG.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use Time::HiRes qw(time usleep);

my $node = PostgreSQL::Test::Cluster->new('databases');
$node->init;
$node->append_conf('postgresql.conf', qq{
shared_preload_libraries = 'hrguard'
hrguard.relay_interval_ms = 100
hrguard.notify_mode = 'relay'
hrguard.checkpoint_interval = 1
});
$node->start;
my $log_offset = 0;

foreach my $db (qw(hr1 hr2 plain))
{
	$node->safe_psql('postgres', "CREATE DATABASE $db");
}
foreach my $db (qw(hr1 hr2))
{
	$node->safe_psql($db, q{
		CREATE EXTENSION hrguard CASCADE;
		INSERT INTO hrguard.employee (employee_id) VALUES ('D1'), ('D2')});
}

# hr2 got hrguard after the launcher's first look: its worker comes within
# the launcher's retry time (a minute)
ok($node->poll_query_until('postgres', q{
		SELECT string_agg(datname, ',' ORDER BY datname) = 'hr1,hr2'
		  FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'a relay worker in each database that has hrguard');
my $log = slurp_file($node->logfile, $log_offset);
is(scalar(() = $log =~ /hrguard alert relay started in database "hr1"/g), 1, 'one start line for hr1');
is(scalar(() = $log =~ /hrguard alert relay started in database "hr2"/g), 1, 'one start line for hr2');
unlike($log, qr/database "(plain|postgres)"/, 'nothing for the databases without hrguard');

# scheduled checkpoints in both databases
foreach my $db (qw(hr1 hr2))
{
	$node->safe_psql($db, q{SELECT hrguard.record_evidence('D1', 'note', '{"text": "first"}', now())});
	ok($node->poll_query_until($db, q{
			SELECT max(tree_size) = (SELECT count(*) FROM hrguard.evidence) FROM hrguard.log_checkpoint}),
		"$db gets its scheduled checkpoints");
}

# listeners in both databases
my %listener;
my %received;
foreach my $db (qw(hr1 hr2))
{
	$listener{$db} = $node->background_psql($db);
	$listener{$db}->query_safe('LISTEN hrguard_alert');
	$received{$db} = [];
}

# the alert ids a listener has received since the last call
sub heard
{
	my ($db) = @_;
	my $out = $listener{$db}->query_safe('SELECT 1');
	my @ids = ($out =~ /"alert_id":(\d+)/g);
	push @{ $received{$db} }, @ids;
	return @ids;
}

# one punch (an off_hours alert), and how long until the listener has it
my $minute = 0;
sub punch_and_wait
{
	my ($db) = @_;
	$minute++;
	$node->safe_psql($db, qq{
		INSERT INTO hrguard.punch (employee_id, punched_at)
		VALUES ('D1', timestamptz '2026-11-22 01:00+08' + $minute * interval '1 minute')});
	my $id = $node->safe_psql($db, q{
		SELECT max(alert_id) FROM hrguard.alert WHERE employee_id = 'D1'});
	my $start = time;
	while (time - $start < 30)
	{
		return (time - $start, $id) if grep { $_ == $id } heard($db);
		usleep(50_000);
	}
	return (undef, $id);
}

# a long transaction and a prepared one in a database without hrguard
$node->safe_psql('plain', q{CREATE TABLE t (x int)});
my $long = $node->background_psql('plain');
$long->query_safe(q{BEGIN; INSERT INTO t VALUES (1)});
$node->safe_psql('plain', q{BEGIN; INSERT INTO t VALUES (2); PREPARE TRANSACTION 'plain_prepared'});
# and, in hr1, a prepared transaction that raised an alert of its own
$node->safe_psql('hr1', q{
	SET hrguard.notify_mode = 'relay';
	BEGIN;
	INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('D2', '2026-11-22 03:00+08');
	PREPARE TRANSACTION 'hr1_prepared'});
my $held = $node->safe_psql('hr1', q{SELECT count(*) FROM hrguard.alert WHERE employee_id = 'D2'});
is($held, '0', 'the prepared alert is not visible yet');

foreach my $db (qw(hr1 hr2))
{
	foreach my $i (1 .. 3)
	{
		my ($seconds, $id) = punch_and_wait($db);
		ok(defined $seconds && $seconds < 2,
			"$db: alert $id delivered while other transactions stay open ("
			  . (defined $seconds ? sprintf('%.2f s', $seconds) : 'never') . ')');
	}
}

# the prepared alert goes out once its transaction commits
$node->safe_psql('hr1', q{COMMIT PREPARED 'hr1_prepared'});
my $prepared_id = $node->safe_psql('hr1', q{SELECT alert_id FROM hrguard.alert WHERE employee_id = 'D2'});
my $start = time;
while (!grep { $_ == $prepared_id } @{ $received{hr1} })
{
	last if time - $start > 10;
	usleep(50_000);
	heard('hr1');
}
ok((grep { $_ == $prepared_id } @{ $received{hr1} }), 'the prepared transaction\'s alert after COMMIT PREPARED');
$long->query_safe('COMMIT');
$long->quit;
$node->safe_psql('plain', q{COMMIT PREPARED 'plain_prepared'});

# exactly once: every alert of each database, none twice
sleep 1;
foreach my $db (qw(hr1 hr2))
{
	heard($db);
	is(join(',', sort { $a <=> $b } @{ $received{$db} }),
		$node->safe_psql($db, q{SELECT string_agg(alert_id::text, ',' ORDER BY alert_id) FROM hrguard.alert}),
		"$db: the listener received every alert exactly once");
	$listener{$db}->quit;
}

# dropping hrguard stops that database's worker: one line, no restart loop
$log_offset = -s $node->logfile;
$node->safe_psql('hr2', q{SET hrguard.allow_drop_evidence = on; DROP EXTENSION hrguard CASCADE});
ok($node->wait_for_log(qr/hrguard is no longer installed in database "hr2"; its alert relay stops/, $log_offset),
	'dropping hrguard stops the worker, and it says so');
ok($node->poll_query_until('postgres', q{
		SELECT string_agg(datname, ',') = 'hr1'
		  FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'only hr1 keeps a worker');

# DROP DATABASE and ALTER DATABASE ... RENAME TO while a worker is connected
my ($rc, $out, $err) = $node->psql('postgres', 'ALTER DATABASE hr1 RENAME TO hr1_renamed');
is($rc, 0, 'ALTER DATABASE ... RENAME TO with the relay worker connected') or diag($err);
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM pg_stat_activity
		 WHERE backend_type = 'hrguard alert relay' AND datname = 'hr1_renamed'}),
	'0', 'the worker was stopped for it');
$node->safe_psql('postgres', q{CREATE DATABASE hr4});
$node->safe_psql('hr4', q{CREATE EXTENSION hrguard CASCADE});
ok($node->poll_query_until('postgres', q{
		SELECT string_agg(datname, ',' ORDER BY datname) = 'hr1_renamed,hr4'
		  FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'a database given hrguard later gets a worker, and the renamed one gets its worker back');
($rc, $out, $err) = $node->psql('postgres', 'DROP DATABASE hr1_renamed');
is($rc, 0, 'DROP DATABASE with the relay worker connected') or diag($err);
($rc, $out, $err) = $node->psql('postgres', 'CREATE DATABASE hr4_copy TEMPLATE hr4');
is($rc, 0, 'CREATE DATABASE ... TEMPLATE of a database with a relay worker') or diag($err);
is($node->safe_psql('hr4_copy', q{SELECT count(*) FROM pg_extension WHERE extname = 'hrguard'}), '1',
	'the copy has hrguard');
ok($node->poll_query_until('postgres', q{
		SELECT string_agg(datname, ',' ORDER BY datname) = 'hr4,hr4_copy'
		  FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'both get a worker');
# a role that does not own a database cannot stop its worker through it
$node->safe_psql('postgres', q{CREATE ROLE nobody LOGIN});
my $pid = $node->safe_psql('postgres',
	q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay' AND datname = 'hr4'});
($rc, $out, $err) = $node->psql('postgres', 'DROP DATABASE hr4', extra_params => [ '-U', 'nobody' ]);
like($err, qr/must be owner of database hr4/, 'DROP DATABASE by a non-owner is refused');
is($node->safe_psql('postgres',
		q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay' AND datname = 'hr4'}),
	$pid, 'and the worker was left alone');


# a database made a template loses its worker; any role that may create
# databases may copy a template, and the copy is not held up by a worker
$node->safe_psql('postgres', q{CREATE ROLE copier LOGIN CREATEDB});
$node->safe_psql('postgres', q{ALTER DATABASE hr4_copy IS_TEMPLATE true});
($rc, $out, $err) = $node->psql('postgres', 'CREATE DATABASE hr5 TEMPLATE hr4_copy',
	extra_params => [ '-U', 'copier' ]);
is($rc, 0, 'a role with CREATEDB copies a template that had a relay worker') or diag($err);
ok($node->poll_query_until('postgres', q{
		SELECT string_agg(datname, ',' ORDER BY datname) = 'hr4,hr5'
		  FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'the template keeps no worker; the copy gets one');

# a launcher started again (after pg_terminate_backend) still stops the
# worker of a database closed to connections, one the launcher before it
# started
my $launcher = $node->safe_psql('postgres',
	q{SELECT pid FROM pg_stat_activity WHERE backend_type = 'hrguard relay launcher'});
$node->safe_psql('postgres', qq{SELECT pg_terminate_backend($launcher)});
ok($node->poll_query_until('postgres', qq{
		SELECT count(*) = 1 FROM pg_stat_activity
		 WHERE backend_type = 'hrguard relay launcher' AND pid <> $launcher}),
	'the launcher comes back');
$node->safe_psql('postgres', q{ALTER DATABASE hr5 ALLOW_CONNECTIONS false});
ok($node->poll_query_until('postgres', q{
		SELECT string_agg(datname, ',' ORDER BY datname) = 'hr4'
		  FROM pg_stat_activity WHERE backend_type = 'hrguard alert relay'}),
	'a database closed to connections loses the worker the earlier launcher started');
$node->safe_psql('postgres', q{ALTER DATABASE hr5 ALLOW_CONNECTIONS true});

$log = slurp_file($node->logfile, $log_offset);
is(scalar(() = $log =~ /database "hr2"/g), 1, 'hr2 was named once, however often the launcher looked');
# (the refused DROP DATABASE above is the test's own ERROR)
is(join('', grep { /ERROR|FATAL|WARNING/ && !/010_relay_databases/ } split /^/, $log), '',
	'nothing above LOG from the launcher and the workers');

# no free worker slot (the logical replication launcher and hrguard's take
# two of three): each database without one is named in one WARNING, and
# one of the two has the worker
$node->append_conf('postgresql.conf', 'max_worker_processes = 3');
$log_offset = -s $node->logfile;
$node->restart;
sleep 25;
$log = slurp_file($node->logfile, $log_offset);
my %warned;
$warned{$_}++ foreach ($log =~ /no background worker slot is free for the hrguard alert relay of database "([^"]+)"/g);
ok(scalar(keys %warned) >= 1, 'a database without a worker slot is named in a WARNING');
ok(!(grep { $_ > 1 } values %warned), 'each at most once, however often the launcher tried');
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM pg_stat_activity
		 WHERE backend_type = 'hrguard alert relay' AND datname IN ('hr4', 'hr5')}),
	'1', 'the other one has its worker');

# a fast shutdown ends the launcher and the workers without an error
$log_offset = -s $node->logfile;
$node->stop('fast');
$log = slurp_file($node->logfile, $log_offset);
unlike($log, qr/FATAL|ERROR|WARNING/, 'a fast shutdown logs nothing above LOG');
done_testing();
