# 012_case_report.pl -- hrguard.case_report() opened in headless Chromium
# (Debian's chromium): the page it shows has the case, a row per step, the
# alerts with their explanations, and the map with every punch and the
# zones near them as SVG; it fetches nothing (Chromium runs with every host
# unresolvable) and renders to a screenshot.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use HrguardVerify;

my $chromium = (grep { -x $_ } ('/usr/bin/chromium', '/usr/bin/chromium-browser'))[0];
plan skip_all => 'Chromium is not installed (make deps installs it)' unless $chromium;

my $node = PostgreSQL::Test::Cluster->new('case_report');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.employee (employee_id, tenant_id, display_name, team, hired_on)
	VALUES ('R1', 'r', '王<芳>', 'east', '2022-01-01');
	INSERT INTO hrguard.zone (tenant_id, name, kind, geom)
	VALUES ('r', 'office', 'office', ST_GeomFromText('POLYGON((121.470 31.230, 121.474 31.230, 121.474 31.233, 121.470 31.233, 121.470 31.230))', 4326)),
		   ('r', 'rival & co', 'competitor', ST_GeomFromText('POLYGON((121.480 31.240, 121.483 31.240, 121.483 31.243, 121.480 31.243, 121.480 31.240))', 4326));
	INSERT INTO hrguard.zone (tenant_id, name, kind, center, radius_m)
	VALUES ('r', 'client', 'client', ST_SetSRID(ST_MakePoint(121.476, 31.236), 4326), 120);
	INSERT INTO hrguard.zone_assignment (zone_id) SELECT zone_id FROM hrguard.zone WHERE kind <> 'competitor';
	-- ten days of punches: at the office, then at the rival
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id)
	SELECT 'R1', now() - (d || ' days')::interval - h * interval '1 hour',
		   CASE WHEN h = 0 THEN 31.2315 ELSE 31.2415 END, CASE WHEN h = 0 THEN 121.472 ELSE 121.4815 END, 10, 'p1'
	  FROM generate_series(1, 10) d, generate_series(0, 1) h;
	INSERT INTO hrguard.case_actor (actor, display_name, duty) VALUES ('hr', 'HR', 'hr'), ('inv', 'Investigator', 'investigator');
	SELECT hrguard.open_case('R1', 'hr', 'seen at the rival <script>alert(1)</script>',
							 ARRAY(SELECT alert_id FROM hrguard.alert WHERE employee_id = 'R1' ORDER BY alert_id LIMIT 3));
	SELECT hrguard.case_transition(1, 'verifying', 'inv');});

my $steps = $node->safe_psql('postgres', 'SELECT last_event FROM hrguard."case" WHERE case_id = 1');
my $punches = $node->safe_psql('postgres', q{SELECT count(*) FROM hrguard.punch WHERE employee_id = 'R1'});
my $alerts = $node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.alert WHERE case_id = 1');
my $dir = PostgreSQL::Test::Utils::tempdir;
write_file("$dir/report.html", $node->safe_psql('postgres', 'SELECT hrguard.case_report(1)') . "\n");

# Chromium, with no network: every host name fails to resolve
sub chromium
{
	my @args = @_;
	my ($stdout, $stderr);
	IPC::Run::run([ $chromium, '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run',
					"--user-data-dir=$dir/profile", '--host-resolver-rules=MAP * ~NOTFOUND', @args ],
		'>', \$stdout, '2>', \$stderr, IPC::Run::timeout(120));
	return $stdout;
}

my $dom = chromium('--dump-dom', "file://$dir/report.html");
like($dom, qr/<title>Case 1 — 王&lt;芳&gt;<\/title>/, 'the page shows its title, the name escaped');
my $rows = () = $dom =~ /<tr class="step /g;
is($rows, $steps, 'a row per step of the case');
my $circles = () = $dom =~ /<circle class="punch /g;
is($circles, $punches, 'a point on the map per punch');
like($dom, qr/<svg [^>]*class="map"/, 'the map is SVG in the page');
like($dom, qr/<path class="zone competitor"[^>]*><title>rival &amp; co \(competitor\)<\/title>/, q{the rival's zone is drawn});
like($dom, qr/<path class="zone office"/, 'the office is drawn');
like($dom, qr/<ellipse class="zone client"/, 'the client site, a circle, is drawn');
my $explained = () = $dom =~ /<div class="alert"><h3>/g;
is($explained, $alerts, 'each alert of the case with its explanation');
like($dom, qr/lang="zh-CN">[^<]*告警/, 'the explanation in Chinese');
unlike($dom, qr/<script/i, q{no script: the reason's markup is text});
like($dom, qr/seen at the rival &lt;script&gt;alert\(1\)&lt;\/script&gt;/, 'the reason shown as written');
unlike($dom, qr/\b(?:src|href)=/, 'nothing the page would fetch');

chromium("--screenshot=$dir/report.png", '--window-size=1100,2400', "file://$dir/report.html");
ok(-s "$dir/report.png" > 20000, 'it renders to a screenshot');

$node->stop;
done_testing();
