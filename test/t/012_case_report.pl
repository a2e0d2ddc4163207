# 012_case_report.pl -- hrguard.case_report() opened in headless Chromium
# (Debian's chromium): the page it shows has the case, a row per step, the
# alerts with their explanations, and the map with every punch and the
# zones near them as SVG; it fetches nothing (Chromium runs with every host
# unresolvable) and renders to a screenshot.  Then the same page drawn
# offline by hrguard-verify --html from the case's package: the same
# summary, timeline, map, alerts and evidence; and, from a package whose
# stated members were made hostile, still a well-formed page.
use strict;
use warnings;
use IPC::Run;
use JSON::PP;
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
	SELECT hrguard.case_transition(1, 'verifying', 'inv');
	SELECT hrguard.case_attach_evidence(1, 'inv', 'other_employment', 'photo <b>at</b> the rival & "co" ' || chr(8238) || 'gpj.exe' || chr(13) || 'x' || chr(1564) || chr(8206) || chr(65529), now() - interval '2 days',
										'notarized', repeat('ab', 32));
	SELECT hrguard.case_attach_evidence(1, 'inv', 'other_employment', 'the first punch', now() - interval '9 days',
										'hrguard_record', NULL, 1);});

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

# ---- the same page, offline, from the case's package ----
my $package = $node->safe_psql('postgres', q{SELECT hrguard.export_case(1, 'hr', now() - interval '30 days')});
write_file("$dir/case.json", $package);
write_file("$dir/checkpoint.txt", decode_json($package)->{checkpoint});
my ($rc, $out) = verify('--quiet', '--checkpoint', "$dir/checkpoint.txt", '--html', "$dir/offline.html", "$dir/case.json");
is($rc, 0, 'the case package verifies') or diag($out);
my $online = $node->safe_psql('postgres', 'SELECT hrguard.case_report(1)');
my $offline = slurp_file("$dir/offline.html");

# a part of a page: from a start to an end, both included
sub part
{
	my ($page, $start, $end) = @_;
	return $page =~ /(\Q$start\E.*?\Q$end\E)/s ? $1 : "(no $start)";
}
is(part($offline, '<title>', '</title>'), part($online, '<title>', '</title>'), 'the same title');
is(part($offline, '<table class="summary">', '</table>'), part($online, '<table class="summary">', '</table>'),
	'the same summary: employee, state, ground, reason, times, custody head');
is(part($offline, '<table class="timeline">', '</table>'), part($online, '<table class="timeline">', '</table>'),
	'the same timeline, each step with its custody link');
my ($svg_offline, $svg_online) = map { my $m = part($_, '<svg ', '</svg>'); $m =~ s/<title>Punches of .*?<\/title>//; $m } ($offline, $online);
like($svg_online, qr/<circle /, 'the page in the database has its map');
is($svg_offline, $svg_online, 'the same map: every punch and zone at the same place');
is(part($offline, '<h2>Alerts 告警</h2>', '<h2>Evidence'), part($online, '<h2>Alerts 告警</h2>', '<h2>Evidence'),
	'the same alerts with their explanations');
is(part($offline, '<ol class="evidence">', '</ol>'), part($online, '<ol class="evidence">', '</ol>'),
	'the same evidence list with hashes and links');
like($offline, qr/&quot;co&quot; \[U\+202E\]gpj\.exe&#13;x\[U\+061C\]\[U\+200E\]\[U\+FFF9\]/,
	'a control of direction is shown, not obeyed, and a carriage return kept as a reference');

# the session's extra_float_digits changes neither what the package states nor the map
my $low = $node->safe_psql('postgres', q{SET extra_float_digits = -15; SELECT hrguard.export_case(1, 'hr', now() - interval '30 days')});
is_deeply(decode_json($low)->{report}, decode_json($package)->{report}, 'extra_float_digits = -15: the same stated zones and explanations');
my $low_online = $node->safe_psql('postgres', 'SET extra_float_digits = -15; SELECT hrguard.case_report(1)');
is(part($low_online, '<rect ', '</svg>'), part($online, '<rect ', '</svg>'), 'and the same map in the database');
like($offline, qr/<p class="note" id="provenance">[^<]*stated by the package and covered by no hash/,
	'the page says what is verified and what only stated');
is($node->safe_psql('postgres', "SELECT xml_is_well_formed_document(pg_read_file('$dir/offline.html'))"), 't',
	'the offline page is well-formed XML');
$dom = chromium('--dump-dom', "file://$dir/offline.html");
$circles = () = $dom =~ /<circle class="punch /g;
is($circles, $punches, 'Chromium shows a point per punch of the package');
$rows = () = $dom =~ /<tr class="step /g;
is($rows, $steps + 1, 'and a row per step, the export with them');

# to standard output: the page alone there, the report on standard error
{
	my ($page_out, $report_err);
	IPC::Run::run([ 'hrguard-verify', '--checkpoint', "$dir/checkpoint.txt", '--html', '-', "$dir/case.json" ], '>', \$page_out, '2>', \$report_err);
	is($page_out, $offline, '--html - writes the same page to standard output');
	like($report_err, qr/the case\n.*\n(?:OK|VERIFIED)/s, 'and the report to standard error');
}

# the page never replaces the package or the checkpoint given
($rc, $out) = verify('--quiet', '--checkpoint', "$dir/checkpoint.txt", '--html', "$dir/checkpoint.txt", "$dir/case.json");
is($rc, 2, '--html naming the checkpoint given is refused');
like($out, qr/is the checkpoint given: the page would replace it/, 'saying why');
is(slurp_file("$dir/checkpoint.txt"), decode_json($package)->{checkpoint}, 'and the checkpoint is as it was');
($rc, $out) = verify('--quiet', '--html', "$dir/case.json", "$dir/case.json");
is($rc, 2, '--html naming the package is refused');
is(slurp_file("$dir/case.json"), $package, 'and the package is as it was');

# a checkpoint read from standard input is named so, not by the file it is kept in
{
	my ($stdout, $stderr);
	IPC::Run::run([ 'hrguard-verify', '--checkpoint', '-', "$dir/case.json" ], '<', \"not a checkpoint\n",
		'>', \$stdout, '2>', \$stderr);
	like($stderr, qr/the checkpoint on standard input is not an hrguard checkpoint body/,
		'a checkpoint on standard input is named as such');
}

# a case package of a later format is named as such
(my $later = $package) =~ s/"hrguard-case-package\/1"/"hrguard-case-package\/2"/;
write_file("$dir/later.json", $later);
($rc, $out) = verify('--quiet', "$dir/later.json");
is($rc, 2, 'a case package of format 2 is unreadable');
like($out, qr/a case package of format hrguard-case-package\/2; this hrguard-verify reads case packages of format hrguard-case-package\/1/,
	'saying which format it reads');

# a package that is not JSON hrguard-verify reads (a member twice) is named so with --html too
(my $twice = $package) =~ s/^\{/{"format" : "hrguard-case-package\/2", /;
write_file("$dir/twice.json", $twice);
($rc, $out) = verify('--quiet', '--html', "$dir/twice.html", "$dir/twice.json");
is($rc, 2, 'a case package with its format twice is unreadable');
like($out, qr/not JSON \(duplicate object key/, 'named as such, with --html too');

# no page from a package that does not verify, nor from an evidence package
(my $edited = slurp_file("$dir/case.json")) =~ s/"reason" : "seen at the rival/"reason" : "seen near the rival/;
write_file("$dir/edited.json", $edited);
($rc, $out) = verify('--quiet', '--html', "$dir/edited.html", "$dir/edited.json");
is($rc, 1, 'an edited case package fails');
ok(!-e "$dir/edited.html", 'and no page is written for it');
write_file("$dir/evidence.json", $node->safe_psql('postgres', q{SELECT hrguard.export_evidence('R1')}));
($rc, $out) = verify('--quiet', '--html', "$dir/evidence.html", "$dir/evidence.json");
is($rc, 2, '--html on an evidence package is refused');
like($out, qr/--html draws the report of a case package/, 'saying why');

# the stated members, made hostile: markup, characters XML cannot hold,
# shapes of the wrong type, a time zone that is a path; the package still
# verifies (they are covered by no hash) and the page stays well-formed
my $hostile = $node->safe_psql('postgres', q{
	SELECT jsonb_set(jsonb_set(jsonb_set(jsonb_set(p::jsonb,
		'{report,employee}', jsonb_build_object('display_name', '</title><script>x()</script>' || chr(1) || chr(65534),
												'team', 12, 'timezone', '../../../etc/passwd')),
		'{report,zones}', jsonb_build_array(
			jsonb_build_object('zone_id', 1, 'name', ']]><x y="', 'kind', '<k>', 'center', jsonb_build_array('a', 1), 'radius_m', 5),
			jsonb_build_object('name', 'ring', 'kind', 'office', 'geometry', jsonb_build_object('type', 'Polygon', 'coordinates', '[[1, [2], [1000000000000000000000000000000000000000000.5, 2], null]]'::jsonb)),
			jsonb_build_object('name', 'multi', 'kind', 'competitor', 'geometry', jsonb_build_object('type', 'MultiPolygon', 'coordinates', '{"a": 1}'::jsonb)),
			jsonb_build_object('name', 'huge', 'kind', 'client', 'center', jsonb_build_array(121.47, 31.23), 'radius_m', -1.5),
			jsonb_build_object('name', 'vast', 'kind', 'client', 'center', jsonb_build_array(121.47, 31.23), 'radius_m', '100000000000000000000.5'::jsonb),
			jsonb_build_object('name', 'thin', 'kind', 'office', 'geometry', jsonb_build_object('type', 'Polygon', 'coordinates', '[[[121.47, 31.23], [121.48, 31.23]]]'::jsonb)),
			jsonb_build_object('name', 'far away', 'kind', 'client', 'center', jsonb_build_array(-58.4, -34.6), 'radius_m', 100),
			jsonb_build_object('name', 'beyond the pole', 'kind', 'office', 'geometry', jsonb_build_object('type', 'Polygon', 'coordinates', '[[[121.47, 91], [121.48, 91], [121.48, 95], [121.47, 91]]]'::jsonb)),
			'"not a zone"'::jsonb)),
		'{report,explanations}', jsonb_build_array(jsonb_build_object('alert_id', 'x', 'sentence_en', '<img src=x>'),
												   jsonb_build_object('alert_id', 2, 'sentence_en', '', 'sentence_zh', null))),
		'{report,extra}', '{"deep": [[[[[]]]]]}')::text
	  FROM (SELECT pg_read_file('} . "$dir/case.json" . q{') AS p) x});
write_file("$dir/hostile.json", $hostile);
($rc, $out) = verify('--quiet', '--checkpoint', "$dir/checkpoint.txt", '--html', "$dir/hostile.html", "$dir/hostile.json");
is($rc, 0, 'a package with hostile stated members still verifies') or diag($out);
my $page = slurp_file("$dir/hostile.html");
is($node->safe_psql('postgres', "SELECT xml_is_well_formed_document(pg_read_file('$dir/hostile.html'))"), 't',
	'and its page is well-formed XML');
unlike($page, qr/<script|<img|<k>/, 'every stated text is escaped');
unlike(part($page, '<svg ', '</svg>'), qr/class="zone/,
	'a shape that cannot be drawn, or lies off the map, is left out (not drawn empty or far away)');
my $unexplained = () = $page =~ /<\/h3><p class="note">The package states no explanation of this alert/g;
is($unexplained, 3, 'an alert the package explains not, or with no sentence, is said to be so');
like($page, qr/\(UTC; the employee's time zone, \.\.\/\.\.\/\.\.\/etc\/passwd, is not one this machine's time zone database gives as PostgreSQL does\)/,
	'a time zone that is no zone name: times in UTC, said so');
like($page, qr/&lt;\/title&gt;&lt;script&gt;x\(\)&lt;\/script&gt;\xef\xbf\xbd\xef\xbf\xbd/,
	'characters XML cannot hold are shown as U+FFFD');
$circles = () = $page =~ /<circle class="punch /g;
is($circles, $punches, 'the punches, which are verified, are all drawn');

# a time zone is found as PostgreSQL finds it, whatever the case of its
# letters; a directory is no zone, and a right/ zone (whose leap seconds
# the C library does not count) gives UTC, said so
my %zone_shows = ('asia/shanghai' => ['(asia/shanghai)', 'Asia/Shanghai'],
				  'right/UTC' => [q{(UTC; the employee's time zone, right/UTC, is not}, 'UTC'],
				  'Asia' => [q{(UTC; the employee's time zone, Asia, is not}, 'UTC']);
foreach my $zone (sort keys %zone_shows)
{
	my ($named, $as) = @{ $zone_shows{$zone} };
	my $opened = $node->safe_psql('postgres', qq{SELECT to_char(timezone('$as', occurred_at), 'YYYY-MM-DD HH24:MI')
												   FROM hrguard.case_event WHERE case_id = 1 AND event_no = 1});
	(my $edited_zone = $package) =~ s/"timezone" *: *"Asia\/Shanghai"/"timezone": "$zone"/ or die 'no time zone stated';
	write_file("$dir/zone.json", $edited_zone);
	($rc, $out) = verify('--quiet', '--html', "$dir/zone.html", "$dir/zone.json");
	my $shown = part(slurp_file("$dir/zone.html"), 'Opened 立案</th><td>', '</td>');
	like($shown, qr/\Q$named\E/, "time zone $zone: named as it is taken");
	like($shown, qr/^Opened 立案<\/th><td>\Q$opened\E /, "time zone $zone: the times PostgreSQL gives in $as");
}

# the page replaces the file a symbolic link leads to, not the link
write_file("$dir/target.html", "an earlier page\n");
symlink("$dir/target.html", "$dir/link.html") or die "symlink: $!";
($rc, $out) = verify('--quiet', '--html', "$dir/link.html", "$dir/case.json");
ok(-l "$dir/link.html" && slurp_file("$dir/target.html") =~ /^<!DOCTYPE html>/, 'a page written through a symbolic link');

# a page too large for the file size limit: the signal leaves no file beside FILE
IPC::Run::run([ 'sh', '-c', 'ulimit -f 8; exec hrguard-verify --quiet --html "$1" "$2"', 'sh',
				"$dir/limited.html", "$dir/case.json" ], '>', \my $limited_out, '2>', \my $limited_err);
my @left = glob("$dir/limited.html*");
is(scalar(@left), 0, 'a write stopped by a signal (SIGXFSZ) leaves nothing behind') or diag("@left");

# a report that cannot be written is an error, not a pass
IPC::Run::run([ 'hrguard-verify', "$dir/case.json" ], '>', '/dev/full', '2>', \my $full_err);
is($? >> 8, 2, 'a report standard output cannot take: exit 2');
IPC::Run::run([ 'hrguard-verify', '--quiet', '--html', '-', "$dir/case.json" ], '>', '/dev/full', '2>', \$full_err);
like($full_err, qr/could not write the page to standard output/, 'and a page it cannot take is named so');

$node->stop;
done_testing();
