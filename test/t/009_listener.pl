# 009_listener.pl -- test/listener/hrguard_listen, a LISTEN client as an HR
# application would write one: it prints the alerts raised before it
# started, those notified while it listens, those raised while its
# connection was cut and refused, and those committed just before the
# server was killed (NOTIFY is not stored: it catches up with
# hrguard.alerts_since(cursor) when it reconnects); each alert exactly
# once.  The punches come from a WeCom payload, as in the demo.
use strict;
use warnings;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use IPC::Run;

my $listen = ($ENV{HRGUARD_TEST_STAGE} // '.') . '/test/listener/hrguard_listen';
ok(-x $listen, 'the listener is built') or BAIL_OUT("no $listen: run make");

my $node = PostgreSQL::Test::Cluster->new('listener');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE DATABASE hr');
$node->safe_psql('hr', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('hr',
	q{INSERT INTO hrguard.employee (employee_id, wecom_userid) VALUES ('L1', 'listen-user')});
# the application's session, kept open
my $app = $node->background_psql('hr');

# n WeCom punches of a Sunday night (each off hours: one alert each),
# minutes from $from on
sub ingest
{
	my ($n, $from) = @_;
	my @rows = map {
		sprintf('{"userid": "listen-user", "checkin_type": "上班打卡", "checkin_time": %d}',
			1795280400 + ($from + $_) * 60)
	} 1 .. $n;
	my $payload = '{"errcode": 0, "checkindata": [' . join(', ', @rows) . ']}';
	my $res = $app->query_safe("SELECT inserted FROM hrguard.ingest_wecom('$payload')");
	chomp $res;
	return $res;
}

is(ingest(2, 0), '2', 'two punches before the listener starts');

my ($out, $err) = ('', '');
my $client = IPC::Run::start(
	[ $listen, '--max', '10', '--timeout', '180',
	  $node->connstr('hr') . ' application_name=hrguard_listen' ],
	'>', \$out, '2>', \$err);
ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'hrguard_listen'}),
	'the listener is connected');

is(ingest(3, 10), '3', 'three punches while it listens');
# wait until it has printed the five
my $waited = 0;
while (($out =~ tr/\n//) < 5 && $waited++ < 600)
{
	$client->pump_nb;
	select(undef, undef, undef, 0.1);
}
is($out =~ tr/\n//, 5, 'it printed the two earlier alerts and the three notified');

# cut its connection and keep it out while three more are raised (their
# notifications reach nobody); let it back in
$node->safe_psql('postgres', 'ALTER DATABASE hr ALLOW_CONNECTIONS false');
$node->safe_psql('postgres',
	q{SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hrguard_listen'});
is(ingest(3, 20), '3', 'three punches while it is away');
$waited = 0;
while ($err !~ /not connected/ && $waited++ < 600)
{
	$client->pump_nb;
	select(undef, undef, undef, 0.1);
}
like($err, qr/not connected/, 'it could not reconnect meanwhile');
$node->safe_psql('postgres', 'ALTER DATABASE hr ALLOW_CONNECTIONS true');

ok($node->poll_query_until('postgres',
		q{SELECT count(*) = 1 FROM pg_stat_activity WHERE application_name = 'hrguard_listen'}),
	'it is connected again');

# kill the server while it listens (its connection refused first, so the
# two alerts raised meanwhile reach it only by catching up), then start it
$node->safe_psql('postgres', 'ALTER DATABASE hr ALLOW_CONNECTIONS false');
$node->safe_psql('postgres',
	q{SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'hrguard_listen'});
is(ingest(2, 30), '2', 'two punches just before the server is killed');
$app->quit;
$node->stop('immediate');
$node->start;
$node->safe_psql('postgres', 'ALTER DATABASE hr ALLOW_CONNECTIONS true');

ok($client->finish, 'the listener printed ten alerts and stopped')
  or diag("stderr: $err");
my @ids = ($out =~ /^alert (\d+) L1 off_hours \w+$/mg);
is(scalar(@ids), 10, 'ten alert lines');
is(join(',', sort { $a <=> $b } @ids),
	$node->safe_psql('hr',
		q{SELECT string_agg(alert_id::text, ',' ORDER BY alert_id) FROM hrguard.alert}),
	'every alert exactly once');
like($err, qr/connection lost/, 'it noticed the cut connection');
my $listens = () = $err =~ /^hrguard_listen: listening$/mg;
cmp_ok($listens, '>=', 3, 'and listened again each time') or diag("stderr: $err");

# the cursor: a chain of calls returns each alert once
my $first = $node->safe_psql('hr', q{SELECT hrguard.alert_cursor()});
is($node->safe_psql('hr', qq{SELECT count(*) FROM hrguard.alerts_since('$first')}), '0',
	'nothing committed since a new cursor');
$node->safe_psql('hr',
	q{INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('L1', '2026-11-22 05:00+08')});
my ($since, $next) = split /\|/, $node->safe_psql('hr',
	qq{SELECT count(*), max(next_cursor::text) FROM hrguard.alerts_since('$first')});
is($since, '1', 'the alert committed since is returned');
is($node->safe_psql('hr', qq{SELECT count(*) FROM hrguard.alerts_since('$next')}), '0',
	'and not again from the next cursor');

$node->stop;
done_testing();
