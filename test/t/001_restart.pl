# 001_restart.pl -- hrguard's data survives a clean restart and a crash
# (immediate shutdown) of the server, and the module loads again after both.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $node = PostgreSQL::Test::Cluster->new('restart');
$node->init;
$node->start;

$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.employee (employee_id, team, hired_on)
	SELECT 'E' || g, 'team-' || (g % 7), date '2020-01-01' + g
	  FROM generate_series(1, 1000) g});

my $digest_query = q{
	SELECT count(*) || ':' || md5(string_agg(employee_id || team || hired_on, ',' ORDER BY employee_id))
	  FROM hrguard.employee};
my $before = $node->safe_psql('postgres', $digest_query);
like($before, qr/^1000:/, 'employees inserted');

$node->restart;
is($node->safe_psql('postgres', $digest_query), $before,
	'employees intact after a clean restart');

# a committed row, then an uncommitted one lost to the crash
$node->safe_psql('postgres', q{INSERT INTO hrguard.employee (employee_id) VALUES ('E-last')});
my $bg = $node->background_psql('postgres');
$bg->query_safe(q{BEGIN; INSERT INTO hrguard.employee (employee_id) VALUES ('E-uncommitted')});
$node->stop('immediate');
$bg->quit;
$node->start;

is($node->safe_psql('postgres',
		q{SELECT count(*) FROM hrguard.employee WHERE employee_id IN ('E-last', 'E-uncommitted')}),
	'1', 'after a crash the committed row is there and the uncommitted one is not');
is($node->safe_psql('postgres',
		q{SELECT hrguard.version() = extversion FROM pg_extension WHERE extname = 'hrguard'}),
	't', 'module loads after crash recovery');

$node->stop;
done_testing();
