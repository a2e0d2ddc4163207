# 008_logical_replication.pl -- logical replication of hrguard's tables
# to a reporting database with the extension installed, as docs/backup-and-restore.md
# says: the subscriber receives the rows as the
# publisher stored them, by the initial copy and then by streaming
# (punches and their alerts, an alert's status change, record_evidence,
# close_day, checkpoints, zone changes), classifies and records nothing
# itself, and its chains, facts and the publisher's checkpoints verify.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use HrguardDemo;

my $publisher = PostgreSQL::Test::Cluster->new('publisher');
$publisher->init(allows_streaming => 'logical');
$publisher->append_conf('postgresql.conf', "timezone = 'Asia/Shanghai'");
$publisher->start;
my $subscriber = PostgreSQL::Test::Cluster->new('subscriber');
$subscriber->init;
$subscriber->append_conf('postgresql.conf', "timezone = 'Asia/Shanghai'");
$subscriber->start;

$publisher->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$subscriber->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');

my $stage = $ENV{HRGUARD_TEST_STAGE} // '.';
my @demo_payloads = demo_payload_args($stage);
$publisher->command_ok([ 'psql', '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', $publisher->connstr('postgres'),
		@demo_payloads, '-f', "$stage/test/demo/scenario.sql" ], 'the demo data set loads on the publisher');

# every table of the schema but the relay's position, which is the
# publisher's own
my $tables = $publisher->safe_psql('postgres', q{
	SELECT string_agg(c.oid::regclass::text, ', ' ORDER BY c.relname) FROM pg_class c
	 WHERE c.relnamespace = 'hrguard'::regnamespace AND c.relkind = 'r' AND c.relname <> 'relay_state'});
$publisher->safe_psql('postgres', "CREATE PUBLICATION hr FOR TABLE $tables");
my $connection = $publisher->connstr . ' dbname=postgres';
$subscriber->safe_psql('postgres', "CREATE SUBSCRIPTION hr CONNECTION '$connection' PUBLICATION hr");
$subscriber->wait_for_subscription_sync($publisher, 'hr');

sub same_rows
{
	my ($what) = @_;
	my @names = split /, /, $tables;
	my @different;
	for my $t (@names)
	{
		my $q = qq{SET timezone = 'UTC'; SELECT count(*) || ' ' || md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) FROM $t t};
		push @different, $t if $publisher->safe_psql('postgres', $q) ne $subscriber->safe_psql('postgres', $q);
	}
	is(join(', ', @different), '', "$what: every replicated table holds the publisher's rows");
	return;
}
same_rows('after the initial copy');

# streaming: new punches and their alerts, a status change, evidence, a
# closed day, a checkpoint, a zone moved
$publisher->safe_psql('postgres', q{
	INSERT INTO hrguard.punch (employee_id, punched_at, raw_lat, raw_lon, raw_crs, accuracy_m, device_id) VALUES
		('S002', '2026-11-23 10:00+08', 31.2390, 121.5045, 'gcj02', 10, 'ln-phone'),
		('S002', '2026-11-23 10:01+08', 39.9042, 116.4074, 'gcj02', 10, 'ln-phone'),
		('S003', '2026-11-22 03:00+08', 31.2290, 121.4480, 'gcj02', 10, 'wq-phone');
	UPDATE hrguard.alert SET status = 'acknowledged' WHERE alert_id = (SELECT min(alert_id) FROM hrguard.alert);
	SELECT hrguard.record_evidence('S001', 'chat_log', '{"app": "WeChat", "sha256": "ab12"}', '2026-11-21 20:00+08');
	SELECT hrguard.close_day('2026-11-16');
	UPDATE hrguard.zone SET radius_m = 200 WHERE name = 'Xuhui client';
});
my $body = ($publisher->safe_psql('postgres', 'SELECT hrguard.checkpoint()') =~ s/\s+$//r) . "\n";
$publisher->wait_for_catchup('hr');
same_rows('after streaming');

is($subscriber->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE NOT ok) || '/' || count(*) FROM hrguard.verify_all()}),
	'0/' . $publisher->safe_psql('postgres', 'SELECT count(*) FROM hrguard.chain_head'),
	'every chain verifies on the subscriber');
is($subscriber->safe_psql('postgres', 'SELECT count(*) FROM hrguard.verify_facts()'), '0',
	'every punch and alert has its entry on the subscriber');
is($subscriber->safe_psql('postgres', q{SELECT ok FROM hrguard.verify_checkpoint(:'body')},
		extra_params => [ '-v', "body=$body" ]), 't', "the publisher's checkpoint verifies on the subscriber");
is($subscriber->safe_psql('postgres', q{SELECT count(*) FROM hrguard.alert WHERE status = 'acknowledged'}), '1',
	'the status change arrived, without a second entry for it');

# the subscriber is read-only for evidence: what would append to the
# replicated chains is refused, and replication goes on
for my $case (
	[ 'a punch', q{INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('S002', '2026-11-25 10:00+08', 31.2, 121.4)} ],
	[ 'record_evidence', q{SELECT hrguard.record_evidence('S002', 'note', '{"x": 1}', '2026-11-25 10:00+08')} ],
	[ 'an alert status change', q{UPDATE hrguard.alert SET status = 'dismissed' WHERE alert_id = (SELECT max(alert_id) FROM hrguard.alert)} ],
	[ 'close_day', q{SELECT hrguard.close_day('2026-11-17')} ],
	[ 'export_evidence', q{SELECT hrguard.export_evidence('S001')} ],
	[ 'a checkpoint', q{SELECT hrguard.checkpoint()} ])
{
	my ($what, $sql) = @$case;
	my ($rc, $out, $err) = $subscriber->psql('postgres', $sql);
	like($err, qr/written by logical replication/, "on the subscriber, $what is refused");
}
$publisher->safe_psql('postgres', q{
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m)
	VALUES ('S002', '2026-11-26 10:00+08', 31.2, 121.4, 10)});
$publisher->wait_for_catchup('hr');
same_rows('after the refused writes');

# on the subscriber itself the facts stay guarded
my ($rc, $out, $err) = $subscriber->psql('postgres', q{DELETE FROM hrguard.evidence});
like($err, qr/append-only/, 'on the subscriber the evidence stays append-only');
($rc, $out, $err) = $subscriber->psql('postgres',
	q{INSERT INTO hrguard.alert (employee_id, kind, severity) VALUES ('S001', 'off_hours', 'watch')});
like($err, qr/raised by hrguard only/, 'and alerts are raised by punches only');

$subscriber->stop;
$publisher->stop;
done_testing();
