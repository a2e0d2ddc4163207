# 002_dump_restore.pl -- a database using hrguard survives pg_dump and
# pg_restore, run as docs/backup-and-restore.md says: the
# demo's data set (zones of every kind in three datums, a holiday
# calendar, a week of punches inside and outside, competitor visits) plus
# impossible travel, off-hours punches, record_evidence, close_day,
# checkpoints, relayed and pending alerts and a database setting, dumped in
# custom format and restored with pg_restore --create into another
# cluster, and in plain format and restored with psql into a third.  Every
# table and sequence comes back byte for byte, nothing is classified or
# recorded again, and the restored database carries on: chains, the log
# and the checkpoints taken before the dump verify, new punches get the
# next ids and seqs and raise alerts, the relay sends exactly the alerts
# that were pending and the new ones, new checkpoints extend the log, and
# an export verifies offline against a checkpoint archived before the dump.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use HrguardDemo;

my $source = PostgreSQL::Test::Cluster->new('source');
$source->init;
$source->start;
my $dir = PostgreSQL::Test::Utils::tempdir;
sub write_file { my ($path, $text) = @_; open my $f, '>', $path or die; print $f $text; close $f; }

$source->safe_psql('postgres', 'CREATE DATABASE hr');
$source->safe_psql('hr', 'CREATE EXTENSION hrguard CASCADE');
$source->safe_psql('postgres', q{ALTER DATABASE hr SET hrguard.notify_mode = 'relay'});
$source->safe_psql('postgres', q{ALTER DATABASE hr SET timezone = 'Asia/Shanghai'});
my $stage = $ENV{HRGUARD_TEST_STAGE} // '.';
my @demo_payloads = demo_payload_args($stage);
$source->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $source->connstr('hr'),
		@demo_payloads, '-f', "$stage/test/demo/scenario.sql" ], 'the demo data set loads');
$source->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $source->connstr('hr'),
		'-f', "$stage/test/demo/scoring.sql" ], 'the demo scoring data set loads and is scored');
$source->safe_psql('hr', q{
	-- Beijing a minute after the office, a Sunday night, a new phone
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id) VALUES
		('S002', '2026-11-23 10:00+08', 31.2390, 121.5045, 10, 'ln-phone'),
		('S002', '2026-11-23 10:01+08', 39.9042, 116.4074, 10, 'ln-phone'),
		('S003', '2026-11-22 03:00+08', 31.2290, 121.4480, 10, 'wq-phone'),
		('S003', '2026-11-24 09:30+08', 31.2290, 121.4480, 10, 'other-phone');
	-- and a month of ordinary punches, a few thousand
	INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m, device_id)
	SELECT e, timestamptz '2026-10-12 08:00+08' + g * interval '17 minutes',
		   31.2390 + (g % 7) * 0.0003, 121.5045 + (g % 5) * 0.0004, 'gcj02', 20, e || '-phone'
	  FROM unnest(ARRAY['M001', 'S004']) e, generate_series(1, 1500) g
	 ORDER BY 1, 2;
	SELECT hrguard.record_evidence('S001', 'chat_log', '{"app": "WeChat", "sha256": "ab12"}', '2026-11-21 20:00+08');
	SELECT hrguard.close_day('2026-11-16');
	SELECT hrguard.score_period('2026-10-01', '2026-10-31');
	SELECT hrguard.relay_alerts();
});
# a body ends in a newline, which psql's output loses
sub checkpoint
{
	my ($node, $db) = @_;
	return ($node->safe_psql($db // 'hr', 'SELECT hrguard.checkpoint()') =~ s/\s+$//r) . "\n";
}
my $early = checkpoint($source);
# alerts raised after the relay ran are pending at the dump
$source->safe_psql('hr', q{
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m) VALUES
		('S004', '2026-11-29 02:00+08', 30.5000, 114.3000, 10),
		('S004', '2026-11-29 02:30+08', 31.2290, 121.4480, 10)});
my $late = checkpoint($source);
write_file("$dir/early.txt", $early);
write_file("$dir/late.txt", $late);
my $pending = $source->safe_psql('hr', q{
	SELECT string_agg(a.alert_id::text, ',' ORDER BY a.alert_id) FROM hrguard.alert a, hrguard.relay_state s
	 WHERE a.alert_id >= s.era_first_alert_id AND NOT a.notified
	   AND NOT (pg_visible_in_snapshot(a.xid, s.sent_through)
				OR (s.round IS NOT NULL AND pg_visible_in_snapshot(a.xid, s.round)
					AND a.alert_id <= s.round_alert_id))});
like($pending, qr/^\d+(,\d+)+$/, 'alerts are pending at the dump');
like($source->safe_psql('hr', q{SELECT string_agg(DISTINCT kind, ',' ORDER BY kind) FROM hrguard.alert}),
	qr/competitor_pattern,competitor_zone,.*impossible_travel,off_hours,outside_zone,spoof_suspected/,
	'the alerts cover every kind a punch raises');

$source->command_ok([ 'pg_dump', '-Fc', '-f', "$dir/hr.dump", '-d', $source->connstr('hr') ],
	'pg_dump, custom format');
$source->command_ok([ 'pg_dump', '--create', '-f', "$dir/hr.sql", '-d', $source->connstr('hr') ],
	'pg_dump, plain format');

# what the source holds, table by table and sequence by sequence
my @relations = split /\n/, $source->safe_psql('hr', q{
	SELECT c.relkind::text || ' ' || c.relname FROM pg_class c
	 WHERE c.relnamespace = 'hrguard'::regnamespace AND c.relkind IN ('r', 'S') ORDER BY c.relname});
sub contents
{
	my ($node, $db) = @_;
	$db //= 'hr';
	my %c;
	for my $r (@relations)
	{
		my ($kind, $name) = split / /, $r;
		$c{$name} = $node->safe_psql($db, $kind eq 'S'
			? qq{SELECT last_value || ' ' || is_called FROM hrguard.$name}
			: qq{SET timezone = 'UTC'; SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), ''))
				   FROM hrguard.$name t});
	}
	return \%c;
}
my $dumped = contents($source);
my $max = $source->safe_psql('hr', q{
	SELECT (SELECT max(punch_id) FROM hrguard.punch) || ' ' || (SELECT max(alert_id) FROM hrguard.alert)
		   || ' ' || (SELECT seq FROM hrguard.chain_head WHERE employee_id = 'S002')});
my ($max_punch, $max_alert, $s002_seq) = split / /, $max;

sub restored_database_works
{
	my ($node, $how, $db) = @_;
	$db //= 'hr';

	is_deeply(contents($node, $db), $dumped,
		"$how: every table and sequence of hrguard as dumped, nothing classified or recorded again");
	is($node->safe_psql($db, q{SHOW hrguard.notify_mode}), 'relay', "$how: the database's settings are kept");
	is($node->safe_psql($db, q{SELECT count(*) FILTER (WHERE NOT ok) || '/' || count(*) FROM hrguard.verify_all()}),
		'0/' . $node->safe_psql($db, 'SELECT count(*) FROM hrguard.chain_head'), "$how: every chain verifies");
	is($node->safe_psql($db, 'SELECT count(*) FROM hrguard.verify_facts()'), '0',
		"$how: every punch and alert has its entry");
	is($node->safe_psql($db, q{SELECT ok || '/' || tree_size FROM hrguard.verify_checkpoint(:'body')},
			extra_params => [ '-v', "body=$early" ]),
		'true/' . ($early =~ /^size (\d+)$/m)[0], "$how: the earlier checkpoint verifies");
	is($node->safe_psql($db, q{SELECT ok FROM hrguard.verify_checkpoint(:'body')},
			extra_params => [ '-v', "body=$late" ]), 't', "$how: the checkpoint taken at the dump verifies");

	# a new punch: the zone cache knows the restored zones, ids and seqs go on
	is($node->safe_psql($db, q{
		INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m)
		VALUES ('S002', '2026-11-30 10:00+08', 31.2390, 121.5045, 'gcj02', 10),
			   ('S002', '2026-11-30 10:05+08', 39.9, 116.4, 'gcj02', 10)
		RETURNING punch_id || ' ' || verdict || ' ' || evidence_seq}),
		sprintf("%d inside %d\n%d outside %d", $max_punch + 1, $s002_seq + 1, $max_punch + 2, $s002_seq + 2),
		"$how: new punches are classified against the restored zones, with the next ids and seqs");
	my $new_alerts = $node->safe_psql($db, qq{
		SELECT string_agg(alert_id::text, ',' ORDER BY alert_id) FROM hrguard.alert WHERE alert_id > $max_alert});
	like($new_alerts, qr/^\d+(,\d+)*$/, "$how: and raise alerts");
	is((split /,/, $new_alerts)[0], $max_alert + 1, "$how: with the next alert ids");

	my ($rc, $out, $err) = $node->psql($db, 'LISTEN hrguard_alert; SELECT hrguard.relay_alerts();');
	my @sent = sort { $a <=> $b } ($out =~ /"alert_id":(\d+)/g);
	is(join(',', @sent), "$pending,$new_alerts",
		"$how: the relay sends the alerts pending at the dump and the new ones, once");
	($rc, $out, $err) = $node->psql($db, 'LISTEN hrguard_alert; SELECT hrguard.relay_alerts();');
	is(scalar(() = $out =~ /"alert_id"/g), 0, "$how: and nothing twice");

	my $next = checkpoint($node, $db);
	my ($size) = $next =~ /^size (\d+)$/m;
	is($size, $node->safe_psql($db, 'SELECT count(*) FROM hrguard.evidence'),
		"$how: a new checkpoint extends the same log");
	is($node->safe_psql($db, q{SELECT ok FROM hrguard.verify_checkpoint(:'body')},
			extra_params => [ '-v', "body=$early" ]), 't', "$how: the earlier checkpoint still verifies");

	my $package = $node->safe_psql($db,
		q{SELECT hrguard.export_evidence('S001', '-infinity', 'infinity', $$} . $late . q{$$)});
	write_file("$dir/package.json", $package);
	my ($stdout, $stderr);
	IPC::Run::run([ 'hrguard-verify', '--checkpoint', "$dir/late.txt", "$dir/package.json" ],
		'>', \$stdout, '2>', \$stderr);
	is($? >> 8, 0, "$how: an export verifies offline against the checkpoint archived before the dump")
	  or diag($stdout . $stderr);

	# scores: the same inputs give the same hashes after the restore
	is($node->safe_psql($db, q{SELECT scores_stored || ' ' || alerts_raised
								 FROM hrguard.score_period('2026-10-01', '2026-10-31')}), '0 0',
		"$how: scoring the restored period again changes nothing");
	is($node->safe_psql($db, q{SELECT count(*) FILTER (WHERE (e->>'reproduced')::boolean AND (e->>'recorded')::boolean)
								 || '/' || count(*)
								 FROM hrguard.alert a, hrguard.explain(a.alert_id) e WHERE a.reasons ? 'score_id'}), '3/3',
		"$how: every scoring alert is explained, reproduced and recorded");
	return;
}

# without restore_mode the restore fails, and says what it needs
$source->safe_psql('postgres', 'CREATE DATABASE hr_without');
{
	my ($stdout, $stderr);
	IPC::Run::run([ 'pg_restore', '--exit-on-error', '-d', $source->connstr('hr_without'), "$dir/hr.dump" ],
		'>', \$stdout, '2>', \$stderr);
	isnt($? >> 8, 0, 'without hrguard.restore_mode the restore fails');
	like($stderr, qr/restore_mode/, 'and its error names the setting');
}

# custom format into a new database of the same cluster, as docs/backup-and-restore.md
# says for a restore without --create (the relay goes on by this cluster's
# transaction ids); settings made with ALTER DATABASE are made again
$source->safe_psql('postgres', 'CREATE DATABASE hr_copy');
$source->safe_psql('postgres', q{ALTER DATABASE hr_copy SET hrguard.notify_mode = 'relay'});
{
	local $ENV{PGOPTIONS} = '-c hrguard.restore_mode=on';
	$source->command_ok([ 'pg_restore', '--exit-on-error', '-d', $source->connstr('hr_copy'), "$dir/hr.dump" ],
		'pg_restore of the custom dump into a new database of the same cluster');
}
restored_database_works($source, 'same cluster', 'hr_copy');

# custom format into another cluster, as docs/backup-and-restore.md says
my $other = PostgreSQL::Test::Cluster->new('other');
$other->init;
$other->start;
{
	local $ENV{PGOPTIONS} = '-c hrguard.restore_mode=on';
	$other->command_ok([ 'pg_restore', '--exit-on-error', '--create', '-d', $other->connstr('postgres'),
			"$dir/hr.dump" ], 'pg_restore --create of the custom dump into another cluster');
}
restored_database_works($other, 'custom');

# plain format into a third cluster
my $third = PostgreSQL::Test::Cluster->new('third');
$third->init;
$third->start;
{
	local $ENV{PGOPTIONS} = '-c hrguard.restore_mode=on';
	$third->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $third->connstr('postgres'),
			'-f', "$dir/hr.sql" ], 'psql -f of the plain dump into a third cluster');
}
restored_database_works($third, 'plain');

# outside restore mode the facts stay append-only
my ($rc, $out, $err) = $third->psql('hr', q{DELETE FROM hrguard.evidence});
like($err, qr/append-only/, 'outside restore mode the evidence stays append-only');
($rc, $out, $err) = $third->psql('hr', q{INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES ('S001', 'off_hours', 'watch')});
like($err, qr/raised by hrguard only/, 'and alerts are raised by punches only');

$source->stop;
$other->stop;
$third->stop;
done_testing();
