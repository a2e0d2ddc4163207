# 005_evidence_crash.pl -- evidence chains survive a crash: while eight
# clients append to ten chains, the server is killed; after recovery every
# committed entry is there and every chain verifies.  Also appends from
# eight clients to one chain and to a thousand chains verify.
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

# run pgbench appending to chains C1..C$chains; returns its handle
sub appenders
{
	my ($chains, $seconds) = @_;
	my $script = "$PostgreSQL::Test::Utils::tmp_check/append_$chains.sql";
	open(my $fh, '>', $script) or die $!;
	print $fh "\\set c random(1, $chains)\n";
	print $fh "SELECT hrguard.record_evidence('C' || :c, 'note', jsonb_build_object('c', :c), now());\n";
	close($fh);
	my ($out, $err) = ('', '');
	return IPC::Run::start(
		[ 'pgbench', '-n', '-c', '8', '-j', '2', '-T', $seconds, '-f', $script,
		  '-h', $node->host, '-p', $node->port, 'postgres' ],
		'>', \$out, '2>', \$err);
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
is($node->safe_psql('postgres', q{
		SELECT count(*) FROM hrguard.chain_head h
		 WHERE h.seq <> (SELECT coalesce(max(seq), 0) FROM hrguard.evidence e
						  WHERE e.employee_id = h.employee_id)}),
	'0', 'every head ends where its chain does');
is($node->safe_psql('postgres', q{SELECT hrguard.record_evidence('C1', 'note', '{"after": 1}', now()) > 0}),
	't', 'appending works after recovery');

$node->stop;
done_testing();
