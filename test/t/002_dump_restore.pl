# 002_dump_restore.pl -- pg_dump keeps the rows of hrguard's user-data tables
# (they are registered with pg_extension_config_dump), and pg_restore into a
# new database gives them back under a freshly created extension.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('dump');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE DATABASE source');
$node->safe_psql('source', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('source', q{
	INSERT INTO hrguard.employee (employee_id, display_name, work_mode, timezone, dingtalk_userid)
	VALUES ('E1', 'Li Wei', 'field', 'Asia/Shanghai', 'dt-1'),
		   ('E2', 'Zhao Min', 'remote', 'Asia/Urumqi', NULL)});

$node->safe_psql('source', q{
	SELECT hrguard.record_evidence('E1', 'chat_log', '{"sha256": "ab", "app": "WeChat"}', now());
	SELECT hrguard.record_evidence('E1', 'note', '{"text": "second"}', now());
	SELECT hrguard.record_evidence('E2', 'note', '{"text": "other"}', now())});

my $checkpoint = $node->safe_psql('source', q{SELECT hrguard.checkpoint()});

my $dump = $PostgreSQL::Test::Utils::tmp_check . '/source.dump';
$node->command_ok([ 'pg_dump', '-Fc', '-f', $dump, '-d', $node->connstr('source') ],
	'pg_dump of a database using hrguard');

$node->safe_psql('postgres', 'CREATE DATABASE target');
{
	# evidence tables are append-only; the restore says it is one
	local $ENV{PGOPTIONS} = '-c hrguard.restore_mode=on';
	$node->command_ok([ 'pg_restore', '--exit-on-error', '-d', $node->connstr('target'), $dump ],
		'pg_restore into a new database');
}

my $rows = q{SELECT string_agg(employee_id || '/' || display_name || '/' || work_mode || '/' || timezone,
							   ',' ORDER BY employee_id) FROM hrguard.employee};
is($node->safe_psql('target', $rows), $node->safe_psql('source', $rows),
	'employees restored');
is($node->safe_psql('target', q{SELECT extversion FROM pg_extension WHERE extname = 'hrguard'}),
	$node->safe_psql('source', q{SELECT extversion FROM pg_extension WHERE extname = 'hrguard'}),
	'extension restored at the same version');

my $evidence = q{SELECT string_agg(employee_id || '/' || seq || '/' || encode(canon, 'hex') || encode(link, 'hex'),
							   ',' ORDER BY employee_id, seq) FROM hrguard.evidence};
is($node->safe_psql('target', $evidence), $node->safe_psql('source', $evidence),
	'evidence restored byte for byte');
is($node->safe_psql('target', q{SELECT count(*) FILTER (WHERE ok) || '/' || count(*) FROM hrguard.verify_all()}),
	'2/2', 'every restored chain verifies');
is($node->safe_psql('target', q{SELECT ok || '/' || tree_size FROM hrguard.verify_checkpoint(:'body')},
		extra_params => [ '-v', "body=$checkpoint" ]),
	'true/3', 'the checkpoint taken before the dump holds after the restore');
is($node->safe_psql('target', q{SELECT hrguard.record_evidence('E1', 'note', '{"text": "third"}', now())}),
	'3', 'the restored chain continues');
like($node->safe_psql('target', q{SELECT hrguard.checkpoint()}),
	qr/^size 4$/m, 'the restored log continues');
my ($rc, $out, $err) = $node->psql('target', q{DELETE FROM hrguard.evidence});
like($err, qr/append-only/, 'outside restore mode the evidence stays append-only');

$node->stop;
done_testing();
