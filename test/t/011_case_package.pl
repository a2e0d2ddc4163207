# 011_case_package.pl -- a case carried to termination and exported with
# hrguard.export_case() verifies offline with hrguard-verify: both packages,
# the steps stated against the custody chain and the evidence attached
# against the employee's package, whatever the exporting session's time
# zone and date style; the export is itself a step of the case.
use strict;
use warnings;
use JSON::PP;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use HrguardVerify;
use IPC::Run;

my $node = PostgreSQL::Test::Cluster->new('case_package');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.employee (employee_id, tenant_id, hired_on) VALUES ('K1', 'k', '2021-05-01');
	INSERT INTO hrguard.case_actor (actor, display_name, duty)
	VALUES ('inv', 'Investigator', 'investigator'), ('hr', 'HR', 'hr'), ('legal', 'Counsel', 'er_legal');
	INSERT INTO hrguard.contract (employee_id, kind, starts_on, document_sha256, clause)
	VALUES ('K1', 'confidentiality', '2021-05-01', repeat('ab', 32), 'no outside work');
	SELECT hrguard.record_evidence('K1', 'social_insurance', '{"payer": "another company"}', now() - interval '40 days');
	SELECT hrguard.open_case('K1', 'hr', 'works for a competitor');
	-- opened 60 days ago: the steps below are dated in the past
	UPDATE hrguard."case" SET opened_at = opened_at - interval '60 days';
	SELECT hrguard.case_transition(1, 'verifying', 'inv');
	SELECT hrguard.case_transition(1, 'interview', 'inv');
	SELECT hrguard.case_interview(1, 'inv', now() - interval '30 days', 'room 2', ARRAY['inv', 'K1'], 'denies', 'signed');
	SELECT hrguard.case_transition(1, 'evidence_review', 'inv');
	SELECT hrguard.case_attach_evidence(1, 'inv', 'other_employment', 'social insurance record', now() - interval '40 days',
										'social_insurance_record', NULL, 1);
	SELECT hrguard.case_attach_evidence(1, 'inv', 'impact', 'month report', now() - interval '20 days',
										'hrguard_record', repeat('cd', 32));
	SELECT hrguard.case_transition(1, 'decision', 'hr');
	SELECT hrguard.case_set_ground(1, '39_4a', 'hr');
	SELECT hrguard.case_union_notice(1, 'hr', now() - interval '2 hours', 'union', 'reasons', repeat('ef', 32));
	SELECT hrguard.case_approve(1, 'hr', 'terminated');
	SELECT hrguard.case_approve(1, 'legal', 'terminated');
	SELECT hrguard.case_transition(1, 'terminated', 'legal');});

my $dir = PostgreSQL::Test::Utils::tempdir;

foreach my $settings ("SET timezone = 'America/New_York'; SET datestyle = 'SQL, DMY'",
					  "SET timezone = 'Asia/Shanghai'; SET datestyle = 'ISO'")
{
	my $text = $node->safe_psql('postgres', "$settings; SELECT hrguard.export_case(1, 'legal')");
	my $package = decode_json($text);
	write_file("$dir/case.json", $text);
	write_file("$dir/checkpoint.txt", $package->{checkpoint});
	is($package->{format}, 'hrguard-case-package/1', "$settings: the format");
	is($package->{steps}[-1]{kind}, 'export', "$settings: the export is the last step");
	my ($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/case.json");
	is($rc, 0, "$settings: hrguard-verify accepts the case package against its checkpoint");
	like($out, qr/evidence package of employee case:1 \(format 2\)/, "$settings: the custody package verified");
	like($out, qr/evidence package of employee K1 \(format 2\)/, "$settings: the evidence package verified");
	like($out, qr/steps: \d+, each the entry of its number in the custody chain case:1/,
		"$settings: every step stated is its custody entry");
	like($out, qr/evidence attached from the employee's chain: 1 entries, each the one the evidence package holds/,
		"$settings: the entry attached is the one in the package");
	($rc, $out) = verify("$dir/case.json");
	is($rc, 3, "$settings: without the checkpoint kept outside, anchored only by the package's own (exit 3)");
}

# a step rewritten in the package is caught
my $text = $node->safe_psql('postgres', "SELECT hrguard.export_case(1, 'hr')");
my $package = decode_json($text);
write_file("$dir/checkpoint.txt", $package->{checkpoint});
write_file("$dir/third.json", $text);
my ($interview) = grep { $_->{kind} eq 'interview' } @{ $package->{steps} };
$interview->{details}{signature} = 'refused';
write_file("$dir/edited.json", JSON::PP->new->encode($package));
my ($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/edited.json");
is($rc, 1, 'an edited step fails');
like($out, qr/FAILED: step \d+: its details are not those the custody chain records/, 'naming the step');

# the checkpoint on standard input serves both packages
{
	my ($stdout, $stderr);
	IPC::Run::run([ 'hrguard-verify', '--checkpoint', '-', "$dir/third.json" ],
		'<', "$dir/checkpoint.txt", '>', \$stdout, '2>', \$stderr);
	is($? >> 8, 0, 'the checkpoint given on standard input verifies both packages');
}

# a case only opened: its employee's evidence all older than the case, and
# its state, with no move yet, is checked as open
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.employee (employee_id, tenant_id) VALUES ('K2', 'k');
	SELECT hrguard.record_evidence('K2', 'note', '{"n": 1}', now() - interval '100 days');
	SELECT hrguard.open_case('K2', 'hr', 'a look');});
$text = $node->safe_psql('postgres', "SELECT hrguard.export_case(2, 'hr')");
$package = decode_json($text);
write_file("$dir/checkpoint.txt", $package->{checkpoint});
write_file("$dir/open.json", $text);
($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/open.json");
is($rc, 0, 'a case only opened exports and verifies');
$package->{case}{state} = 'terminated';
write_file("$dir/open-edited.json", JSON::PP->new->encode($package));
($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/open-edited.json");
like($out, qr/FAILED: the case is stated terminated but its custody chain leaves it open/,
	'a case with no move stated otherwise fails');

is($node->safe_psql('postgres', q{SELECT count(*) FROM hrguard.case_event WHERE case_id = 1 AND kind = 'export'}),
	'3', 'each export is a step of the case');
is($node->safe_psql('postgres', q{SELECT ok FROM hrguard.verify_chain('case:1')}), 't', 'the custody chain holds');
is($node->safe_psql('postgres', q{SELECT bool_and(ok) FROM hrguard.verify_all()}), 't', 'every chain holds');
my ($ret, $stdout, $stderr) = $node->psql('postgres', q{SELECT hrguard.export_case(1, 'nobody')});
like($stderr, qr/"nobody" is not an active case actor/, 'an unknown actor cannot export');

$node->stop;
done_testing();
