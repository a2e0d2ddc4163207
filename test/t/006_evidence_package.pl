# 006_evidence_package.pl -- an evidence package from
# hrguard.export_evidence() verifies offline with hrguard-verify, alone and
# against the checkpoint body kept outside the database; a flipped byte, a
# removed entry, a re-chained package, another checkpoint and a damaged file
# each fail, naming what broke, also in a package large enough to be
# checked by two threads.
use strict;
use warnings;
use Digest::SHA qw(sha256);
use IPC::Run;
use JSON::PP;
use MIME::Base64;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;
use HrguardVerify;

my $node = PostgreSQL::Test::Cluster->new('package');
$node->init;
$node->start;
$node->safe_psql('postgres', 'CREATE EXTENSION hrguard CASCADE');
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.employee (employee_id) VALUES ('P1');
	SELECT hrguard.record_evidence('P1', 'note', jsonb_build_object('n', i, 'text', '第' || i || '条'),
								   '2026-11-20 09:00+08'::timestamptz + i * interval '1 hour')
	  FROM generate_series(1, 5) AS i});
# a body ends in a newline, which psql's output loses
sub checkpoint { return ($node->safe_psql('postgres', 'SELECT hrguard.checkpoint()') =~ s/\s+$//r) . "\n"; }
my $checkpoint = checkpoint();
$node->safe_psql('postgres', q{
	SELECT hrguard.record_evidence('P1', 'note', '{"text": "later"}', '2026-11-21 09:00+08')});

my $dir = PostgreSQL::Test::Utils::tempdir;
my $json = JSON::PP->new->canonical;

write_file("$dir/checkpoint.txt", $checkpoint);
# the whole chain against that checkpoint is what it held: seq 1..5, not P1/6
is($node->safe_psql('postgres', q{BEGIN; SELECT json_array_length(hrguard.export_evidence('P1', '-infinity', 'infinity', $$}
		. $checkpoint . q{$$) -> 'entries'); ROLLBACK}),
	'5', 'the whole chain under a checkpoint is what the checkpoint holds of it');
my ($rc, $out, $err);

my $text = $node->safe_psql('postgres',
	q{SELECT hrguard.export_evidence('P1', '2026-11-20', '2026-11-21', $$} . $checkpoint . q{$$)});
write_file("$dir/package.json", $text);
my $package = decode_json($text);
is(scalar @{ $package->{entries} }, 5, 'the package holds the five entries of the range');

($rc, $out) = verify("$dir/package.json");
is($rc, 3, 'hrguard-verify accepts the package, anchored only by its own checkpoint (exit 3)');
like($out, qr/links: ok, seq 1\.\.5 \(5 entries\)/, 'report: the entries');
like($out, qr/first entry: seq 1, kind note, occurred 2026-11-20T02:00:00\.000000Z/, 'report: the first entry');
like($out, qr/anchored only by the package's own checkpoint: seq 1\.\.5 \(no checkpoint kept outside was given\)/,
	'report: anchored by no checkpoint kept outside');
($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/package.json");
is($rc, 0, 'the package holds against the checkpoint kept outside');
like($out, qr/checkpoint given .*: the same/, 'report: the checkpoint given');
like($out, qr/complete under the package's checkpoint: every entry of the chain from seq 1 to 5 is here/, 'report: complete');
like($out, qr/^OK$/m, 'report: OK');

is($node->safe_psql('postgres', q{
	SELECT kind || ' ' || (convert_from(canon, 'UTF8')::jsonb -> 'p' ->> 'first_seq')
		   || '..' || (convert_from(canon, 'UTF8')::jsonb -> 'p' ->> 'last_seq')
	  FROM hrguard.evidence WHERE employee_id = 'P1' AND seq = 7}),
	'export 1..5', 'the export is recorded in the chain');

# a later checkpoint is another one
my $later = checkpoint();
write_file("$dir/later.txt", $later);
($rc, $out) = verify('--checkpoint', "$dir/later.txt", "$dir/package.json");
is($rc, 1, 'another checkpoint does not do');
like($out, qr/proven against the checkpoint of size 5/, 'report: which checkpoint');

# proven against a newer checkpoint, with the consistency proof from the one kept outside
my $since = q{SELECT hrguard.export_evidence('P1', '2026-11-20', '2026-11-21', NULL, $$} . $checkpoint . q{$$)};
my $text2 = $node->safe_psql('postgres', $since);
write_file("$dir/since.json", $text2);
($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/since.json");
is($rc, 3, 'a package proven against a newer checkpoint holds against the earlier one kept outside, partly');
like($out, qr/consistent with the earlier checkpoint of size 5: ok/, 'report: consistency');
like($out, qr/anchored by the checkpoint given: seq 1\.\.5\n.*anchored only by the package's own checkpoint: seq 6 /,
	'report: the entries in the earlier checkpoint, and the entry after the range, recorded since');
(my $whole = $since) =~ s/'2026-11-21'/'infinity'/;
write_file("$dir/whole.json", $node->safe_psql('postgres', $whole));
($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/whole.json");
is($rc, 3, 'a package reaching past the earlier checkpoint verifies, partly anchored (exit 3)');
like($out, qr/anchored by the checkpoint given: seq 1\.\.5\n.*anchored only by the package's own checkpoint: seq 6\.\.\d+/,
	'and says which entries it does not anchor');
my $broken = decode_json($text2);
$broken->{consistency}{proof}[0] = '00' x 32;
write_file("$dir/inconsistent.json", $json->encode($broken));
($rc, $out) = verify('--checkpoint', "$dir/checkpoint.txt", "$dir/inconsistent.json");
is($rc, 1, 'a broken consistency proof fails');
like($out, qr/FAILED: the consistency proof does not show the checkpoint of size 5/, 'report: consistency');

# consistency from checkpoints of many sizes, powers of two among them
$node->safe_psql('postgres', q{INSERT INTO hrguard.employee (employee_id) VALUES ('Q1')});
my @bodies;
for my $i (1 .. 12)
{
	$node->safe_psql('postgres', qq{SELECT hrguard.record_evidence('Q1', 'note', '{"i": $i}', now())});
	push @bodies, checkpoint();
}
my @sizes;
for my $body (@bodies)
{
	write_file("$dir/q.txt", $body);
	write_file("$dir/q.json", $node->safe_psql('postgres',
		q{SELECT hrguard.export_evidence('Q1', '-infinity', 'infinity', NULL, $$} . $body . q{$$)}));
	($rc, $out) = verify('--checkpoint', "$dir/q.txt", "$dir/q.json");
	push @sizes, ($body =~ /^size (\d+)$/m)[0] . ($rc == 0 || $rc == 3 ? '' : " (rc $rc: $out)");
}
is(scalar(grep { /rc/ } @sizes), 0, 'consistency verifies from every earlier size: ' . join(', ', @sizes));
ok(scalar(grep { !/rc/ && ($_ & ($_ - 1)) == 0 } @sizes) >= 1, 'a power-of-two size among them');

# tampering with the package
sub tampered
{
	my ($name, $edit) = @_;
	my $copy = decode_json($text);
	$edit->($copy);
	write_file("$dir/$name.json", $json->encode($copy));
	return verify('--checkpoint', "$dir/checkpoint.txt", "$dir/$name.json");
}

# reformatted (keys sorted, no spaces), it is read by jansson alone: the same result
($rc, $out) = tampered('reformatted', sub { });
is($rc, 0, 'a reformatted package verifies too');
# a link changed in place, in the layout hrguard writes
my $link3 = $package->{entries}[2]{link};
(my $edited = $text) =~ s/$link3/'0' x 64/e;
write_file("$dir/edited.json", $edited);
($rc, $out) = verify("$dir/edited.json");
is($rc, 1, 'a link edited in place fails');
like($out, qr/FAILED: entry seq 3:/, 'and names the entry');

($rc, $out) = tampered('flipped', sub {
	my $bytes = decode_base64($_[0]{entries}[2]{canon});
	substr($bytes, 20, 1) = chr(ord(substr($bytes, 20, 1)) ^ 1);
	$_[0]{entries}[2]{canon} = encode_base64($bytes, '');
});
is($rc, 1, 'a flipped byte fails');
like($out, qr/FAILED: entry seq 3:/, 'and names the entry');

($rc, $out) = tampered('removed', sub { splice(@{ $_[0]{entries} }, 2, 1) });
is($rc, 1, 'a removed entry fails');
like($out, qr/FAILED: seq 3 is missing \(entry seq 4 follows seq 2\)/, 'and names the seq missing');

($rc, $out) = tampered('truncated', sub { pop @{ $_[0]{entries} } });
is($rc, 1, 'a package cut short fails');
like($out, qr/FAILED: the manifest lists 5 entries, seq 1\.\.5; the package holds 4, seq 1\.\.4/,
	'against its manifest');

# only the manifest's count changed: the message says which count differs
($rc, $out) = tampered('miscounted', sub { $_[0]{manifest}{entries} -= 1 });
is($rc, 1, 'a manifest with the wrong count fails');
like($out, qr/FAILED: the manifest lists 4 entries, seq 1\.\.5; the package holds 5, seq 1\.\.5/,
	'and says the counts');

# the whole package re-chained from entry 3 on, manifest and leaf included:
# only the checkpoint's root gives it away
($rc, $out) = tampered('rechained', sub {
	my $p = $_[0];
	my $link = pack('H*', $p->{entries}[1]{link});
	my $all = Digest::SHA->new(256);
	for my $i (0 .. $#{ $p->{entries} })
	{
		my $e = $p->{entries}[$i];
		my $canon = decode_base64($e->{canon});
		if ($i == 2)
		{
			$canon =~ s/"n":3/"n":9/ or die 'no n';
			$e->{canon} = encode_base64($canon, '');
		}
		$all->add($canon);
		next if $i < 2;
		$link = sha256("\x02" . 'hrguard/v1/link' . pack('N', length 'P1') . 'P1'
					   . pack('Q>', $e->{seq}) . $link . sha256("\x00" . $canon));
		$e->{link} = unpack('H*', $link);
	}
	$p->{manifest}{last_link} = unpack('H*', $link);
	$p->{manifest}{canon_sha256} = $all->hexdigest;
	$p->{inclusion}{leaf_hash} = unpack('H*', sha256("\x00" . 'hrguard/v1/logent' . pack('N', 2) . 'P1'
												   . pack('Q>', 5) . $link));
});
is($rc, 1, 'a consistently re-chained package fails');
like($out, qr/FAILED: entry seq 5 with the inclusion proof gives root [0-9a-f]{64}, the checkpoint says/,
	'against the checkpoint root');

write_file("$dir/broken.json", substr($text, 0, 100));
($rc, $out) = verify("$dir/broken.json");
is($rc, 2, 'a damaged file is unreadable');
($rc, $out) = verify("$dir/missing.json");
is($rc, 2, 'a missing file is unreadable');

# the same checks with standard tools: base64, SHA-256 and the manifest
my $all = Digest::SHA->new(256);
$all->add(decode_base64($_->{canon})) for @{ $package->{entries} };
is($all->hexdigest, $package->{manifest}{canon_sha256}, 'canon_sha256 recomputes with any SHA-256');

# a large package is checked by two threads (src/verify/chain_run.c): the
# first entry that fails is named wherever it lies, edited in place so that
# the layout hrguard writes (and its fast reader) is kept; its canonical
# bytes (about 2.7 MB) take the buffer made of 2 MB pages
$node->safe_psql('postgres', q{
	INSERT INTO hrguard.employee (employee_id) VALUES ('P2');
	SELECT count(hrguard.record_evidence('P2', 'note', jsonb_build_object('i', i, 'text', repeat('x', 400)),
										 '2026-11-01'::timestamptz + i * interval '1 minute'))
	  FROM generate_series(1, 6000) AS i});
my $large = $node->safe_psql('postgres', q{SELECT hrguard.export_evidence('P2')});
my $large_package = decode_json($large);
write_file("$dir/large.json", $large);
($rc, $out) = verify("$dir/large.json");
is($rc, 3, 'a package of 6000 entries verifies (anchored by its own checkpoint only)');
like($out, qr/links: ok, seq 1\.\.6000 \(6000 entries\)/, 'report: all 6000 entries');

# flip one canonical byte of each entry at these indexes, in place
sub flipped_in_place
{
	my ($text, @indexes) = @_;
	for my $i (@indexes)
	{
		my $canon = $large_package->{entries}[$i]{canon};
		my $bytes = decode_base64($canon);
		substr($bytes, 10, 1) = chr(ord(substr($bytes, 10, 1)) ^ 1);
		my $flipped = encode_base64($bytes, '');
		$text =~ s/\Q$canon\E/$flipped/ or die "entry $i not found";
	}
	return $text;
}
my %cases = (
	'late'          => [ [5000], 5001 ],
	'early and late' => [ [ 5000, 1000 ], 1001 ],
	'first entry'   => [ [0], 1 ],
	'last entry'    => [ [5999], 6000 ],
	'midway'        => [ [2400], 2401 ],
);
for my $case (sort keys %cases)
{
	my ($indexes, $seq) = @{ $cases{$case} };
	write_file("$dir/large-flipped.json", flipped_in_place($large, @$indexes));
	($rc, $out) = verify("$dir/large-flipped.json");
	is($rc, 1, "large package, a flipped byte ($case) fails");
	like($out, qr/FAILED: entry seq $seq: its content/, "and names seq $seq");
}
# a link edited: the entry whose link it is fails, not the one after it
for my $index (2399, 3599)
{
	my $link = $large_package->{entries}[$index]{link};
	(my $edited_link = $large) =~ s/$link/'0' x 64/e;
	write_file("$dir/large-link.json", $edited_link);
	($rc, $out) = verify("$dir/large-link.json");
	my $seq = $index + 1;
	like($out, qr/FAILED: entry seq $seq: its content/, "large package, the link of seq $seq edited: named");
}
(my $removed = $large) =~ s/\{\s*"seq": 4001,.*?\},\s*//s or die 'seq 4001 not found';
write_file("$dir/large-removed.json", $removed);
($rc, $out) = verify("$dir/large-removed.json");
is($rc, 1, 'large package, a removed entry fails');
like($out, qr/FAILED: seq 4001 is missing \(entry seq 4002 follows seq 4000\)/, 'and names the seq missing');

# a database that is not UTF8: what is hashed and exported is UTF-8, so a
# package from a LATIN1 database verifies offline like any other
$node->safe_psql('postgres',
	q{CREATE DATABASE latin ENCODING 'LATIN1' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0});
$node->safe_psql('latin', q{
	SET client_min_messages = warning;
	CREATE EXTENSION hrguard CASCADE;
	INSERT INTO hrguard.employee (employee_id) VALUES ('Jos' || chr(233));
	-- a Sunday night: off hours, so the punch raises an alert
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
	VALUES ('Jos' || chr(233), '2026-11-22 03:00+08', 31.2, 121.4, 'caf' || chr(233));
	SELECT hrguard.record_evidence('Jos' || chr(233), 'note', jsonb_build_object('text', 'se' || chr(241) || 'al'), now());});
is($node->safe_psql('latin', q{
	SELECT string_agg((position('"e":"Jos\303\251"'::bytea IN canon) > 0)::text, ',' ORDER BY seq)
	  FROM hrguard.evidence}),
	'true,true,true', 'LATIN1 database: every entry is UTF-8, the employee id among it');
my $latin = $node->safe_psql('latin', q{SELECT hrguard.export_evidence('Jos' || chr(233))});
write_file("$dir/latin.json", $latin);
($rc, $out) = verify("$dir/latin.json");
is($rc, 3, 'a package from a LATIN1 database verifies offline');
like($out, qr/links: ok, seq 1\.\.3/, 'all three entries');
is($node->safe_psql('latin', q{SELECT bool_and(ok) FROM hrguard.verify_all()}), 't',
	'and its chain verifies in the database');

# in a SQL_ASCII database, bytes that are not UTF-8 cannot be hashed: the
# punch fails with 22021 and nothing is written
$node->safe_psql('postgres',
	q{CREATE DATABASE ascii ENCODING 'SQL_ASCII' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0});
$node->safe_psql('ascii', q{
	SET client_min_messages = warning;
	CREATE EXTENSION hrguard CASCADE;
	INSERT INTO hrguard.employee (employee_id) VALUES ('A1');});
my ($ascii_rc, $ascii_out, $ascii_err) = $node->psql('ascii', q{
	\set VERBOSITY verbose
	INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, device_id)
	VALUES ('A1', '2026-11-22 03:00+08', 31.2, 121.4, 'caf' || convert_from('\xe9', 'SQL_ASCII'))});
like($ascii_err, qr/22021: .*UTF-?8/, 'SQL_ASCII database: a device id that is not UTF-8 fails with 22021');
is($node->safe_psql('ascii', q{SELECT (SELECT count(*) FROM hrguard.punch) || ' punches, '
										|| (SELECT count(*) FROM hrguard.evidence) || ' entries'}),
	'0 punches, 0 entries', 'and nothing is written');

$node->stop;
done_testing();
