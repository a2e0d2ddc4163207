# 007_random_punches.pl -- random punch statements from concurrent
# sessions keep every invariant.  pgbench clients run single- and
# multi-row INSERTs, savepoints rolled back, exception blocks that catch
# refused rows, ON CONFLICT DO NOTHING on duplicates and NULL positions,
# through a user trigger with an exception block of its own, while COPY
# statements (text and CSV, some failing on a bad row, some rolled back to
# a savepoint) load random rows beside them.  Afterwards every COPY row is
# there exactly when its COPY committed, every punch and alert has its
# entry and every chain verifies.  COPY and INSERT of the same rows give
# the same verdicts, alerts and evidence.  Seeded (HRGUARD_RANDOM_SEED) so
# that a failure replays.
use strict;
use warnings;
use IPC::Run;
use PostgreSQL::Test::Cluster;
use PostgreSQL::Test::Utils;
use Test::More;

my $seed = $ENV{HRGUARD_RANDOM_SEED} // 20261202;
note "seed $seed (HRGUARD_RANDOM_SEED replays it)";
srand($seed);

my $node = PostgreSQL::Test::Cluster->new('random');
$node->init;
$node->append_conf('postgresql.conf', "timezone = 'Asia/Shanghai'\ndeadlock_timeout = 100ms");
$node->start;
$node->safe_psql('postgres', q{
	CREATE EXTENSION hrguard CASCADE;
	INSERT INTO hrguard.schedule (name) VALUES ('office hours');
	INSERT INTO hrguard.schedule_window (schedule_id, isodow, starts_at, ends_at)
	SELECT schedule_id, d, '09:00', '18:00' FROM hrguard.schedule, generate_series(1, 5) d;
	INSERT INTO hrguard.employee (employee_id, team, schedule_id)
	SELECT e, 'field', schedule_id FROM hrguard.schedule,
		   unnest(ARRAY['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'CA', 'IA']) e;
	INSERT INTO hrguard.zone (name, kind, center, radius_m) VALUES
		('office', 'office', ST_SetSRID(ST_MakePoint(121.470, 31.230), 4326), 300),
		('client', 'client', ST_SetSRID(ST_MakePoint(121.500, 31.240), 4326), 200),
		('rival', 'competitor', ST_SetSRID(ST_MakePoint(121.440, 31.200), 4326), 200);
	INSERT INTO hrguard.zone_assignment (zone_id, team)
	SELECT zone_id, 'field' FROM hrguard.zone WHERE kind <> 'competitor';
	CREATE FUNCTION public.caught(t timestamptz) RETURNS timestamptz LANGUAGE plpgsql AS $$
	BEGIN
		BEGIN PERFORM 1 / 0; EXCEPTION WHEN division_by_zero THEN NULL; END;
		RETURN t;
	END $$;
	CREATE FUNCTION public.noisy() RETURNS trigger LANGUAGE plpgsql AS $$
	BEGIN
		IF NEW.punch_id % 3 = 0 THEN
			BEGIN PERFORM 1 / 0; EXCEPTION WHEN division_by_zero THEN NULL; END;
		END IF;
		RETURN NULL;
	END $$;
	CREATE TRIGGER noisy AFTER INSERT ON hrguard.punch FOR EACH ROW EXECUTE FUNCTION public.noisy();
});

# ---- random rows ----------------------------------------------------------
# a position: at the office, at the client, at the rival, somewhere far,
# none, or raw GCJ-02
sub position
{
	my $r = rand();
	my $jitter = sub { sprintf('%.6f', $_[0] + (rand() - 0.5) / 500) };
	return ($jitter->(31.230), $jitter->(121.470), '', '', '') if $r < 0.35;
	return ($jitter->(31.240), $jitter->(121.500), '', '', '') if $r < 0.5;
	return ($jitter->(31.200), $jitter->(121.440), '', '', '') if $r < 0.65;
	return (sprintf('%.5f', 20 + rand(20)), sprintf('%.5f', 100 + rand(20)), '', '', '') if $r < 0.8;
	return ('', '', '', '', '') if $r < 0.9;
	return ('', '', $jitter->(31.228), $jitter->(121.474), 'gcj02');
}

# one punch as a hash: the columns COPY and INSERT fill
my @types = qw(on_duty off_duty visit other);
my $minute = 0;
sub random_punch
{
	my ($employee, $tag) = @_;
	my ($lat, $lon, $raw_lat, $raw_lon, $raw_crs) = position();
	$minute += 1 + int(rand(90));
	return {
		employee_id => $employee,
		minute => $minute,
		lat => $lat, lon => $lon, raw_lat => $raw_lat, raw_lon => $raw_lon, raw_crs => $raw_crs,
		accuracy_m => rand() < 0.2 ? '' : int(rand(150)),
		check_type => $types[ int(rand(@types)) ],
		source => 'import',
		source_record_id => $tag,
		device_id => rand() < 0.3 ? '' : 'phone-' . int(rand(3)),
	};
}

my @columns = qw(employee_id punched_at lat lon raw_lat raw_lon raw_crs accuracy_m
  check_type source source_record_id device_id);

# the punch's time as a timestamptz literal: minutes after 2 November
sub at
{
	my ($p) = @_;
	my $m = $p->{minute};
	return sprintf("%s %02d:%02d+08", day_after('2026-11-02', int($m / 1440)),
		int(($m % 1440) / 60), $m % 60);
}

sub day_after
{
	my ($day, $n) = @_;
	my ($y, $mo, $d) = split /-/, $day;
	my @len = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31);
	$d += $n;
	while ($d > $len[ $mo - 1 ]) { $d -= $len[ $mo - 1 ]; $mo++; if ($mo > 12) { $mo = 1; $y++; } }
	return sprintf('%04d-%02d-%02d', $y, $mo, $d);
}

sub copy_line
{
	my ($p, $csv) = @_;
	my @v = map {
		my $x = $_ eq 'punched_at' ? at($p) : $p->{$_};
		$x eq '' ? ($csv ? '' : '\N') : $x
	} @columns;
	return join($csv ? ',' : "\t", @v) . "\n";
}

sub insert_values
{
	my ($p) = @_;
	return '(' . join(', ', map {
		my $x = $_ eq 'punched_at' ? at($p) : $p->{$_};
		$x eq '' ? 'NULL' : "'$x'"
	} @columns) . ')';
}

# ---- concurrent sessions ----------------------------------------------------
my $tmp = $PostgreSQL::Test::Utils::tmp_check;
my @scripts = (
	[ 4, 'single', q{\set e random(1, 6)
\set m random(1, 40000)
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon, accuracy_m, device_id)
VALUES ('R' || :e, timestamptz '2026-10-01 00:00+08' + :m * interval '1 minute',
        31.23 + (random() - 0.5) / 100, 121.47 + (random() - 0.5) / 100, 20, 'bench-' || :e);
} ],
	[ 2, 'multi', q{\set e random(1, 4)
\set m random(1, 40000)
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
SELECT 'R' || g, public.caught(timestamptz '2026-10-01 00:00+08' + :m * interval '1 minute'),
       31.2 + random() / 10, 121.44 + random() / 20
  FROM generate_series(:e, :e + 2) g ORDER BY 1;
} ],
	[ 2, 'savepoint', q{\set e random(1, 6)
\set m random(1, 40000)
BEGIN;
INSERT INTO hrguard.punch (employee_id, punched_at) VALUES ('R' || :e, timestamptz '2026-10-01 00:00+08' + :m * interval '1 minute');
SAVEPOINT s;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('R' || :e, timestamptz '2026-10-01 00:01+08' + :m * interval '1 minute', 31.2, 121.44);
ROLLBACK TO s;
INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon) VALUES ('R' || :e, timestamptz '2026-10-01 00:02+08' + :m * interval '1 minute', 31.23, 121.47);
COMMIT;
} ],
	[ 1, 'caught', q{\set e random(1, 6)
\set m random(1, 40000)
DO $$
BEGIN
	FOR i IN 1 .. 4 LOOP
		BEGIN
			INSERT INTO hrguard.punch (employee_id, punched_at, lat, lon)
			VALUES ('R' || :e, timestamptz '2026-10-01 00:00+08' + (:m + i) * interval '1 minute',
			        CASE WHEN i = 3 THEN 95 ELSE 31.2 END, 121.4);
		EXCEPTION WHEN invalid_parameter_value OR numeric_value_out_of_range THEN NULL;
		END;
	END LOOP;
END $$;
} ],
	# (one employee's vendor records: the same record for two employees
	# at once fails one of them, as the README's Limitations say)
	[ 1, 'duplicates', q{\set e random(1, 6)
\set r random(1, 10)
INSERT INTO hrguard.punch (employee_id, punched_at, source, source_record_id)
VALUES ('R' || :e, now() - interval '1 day', 'bench', 'dup-' || :e || '-' || :r)
ON CONFLICT DO NOTHING;
} ],
);
my @bench = ('pgbench', '-n', '-c', '3', '-j', '2', '-T', '8', "--random-seed=$seed",
	'--max-tries=20', '-h', $node->host, '-p', $node->port);
for my $s (@scripts)
{
	my ($weight, $name, $text) = @$s;
	my $file = "$tmp/random_$name.sql";
	open(my $fh, '>', $file) or die $!;
	print $fh $text;
	close($fh);
	push @bench, '-f', "$file\@$weight";
}
push @bench, 'postgres';
my ($bench_out, $bench_err) = ('', '');
my $bench = IPC::Run::start(\@bench, '>', \$bench_out, '2>', \$bench_err);

# COPY statements beside them, rows sorted by employee as a statement
# that touches several chains must be
my (@kept, @lost);
my $copies = 0;
my $started = time;
while (time - $started < 7 || $copies < 12)
{
	my $n = 1 + int(rand(20));
	my $csv = rand() < 0.5;
	my @rows = sort { $a->{employee_id} cmp $b->{employee_id} }
	  map { random_punch('R' . (1 + int(rand(6))), "copy-$copies-$_") } 1 .. $n;
	my $fate = rand();
	my $data = join('', map { copy_line($_, $csv) } @rows);
	my $sql;
	if ($fate < 0.15)
	{
		# a refused row fails the whole COPY
		my $bad = random_punch('R1', "copy-$copies-bad");
		$bad->{lat} = 95;
		$bad->{lon} = 121;
		$bad->{raw_lat} = $bad->{raw_lon} = $bad->{raw_crs} = '';
		$data .= copy_line($bad, $csv);
	}
	my $copy = 'COPY hrguard.punch (' . join(', ', @columns) . ') FROM stdin' . ($csv ? ' (FORMAT csv)' : '');
	if ($fate >= 0.15 && $fate < 0.3)
	{
		$sql = "BEGIN;\nSAVEPOINT s;\n$copy;\n$data\\.\nROLLBACK TO s;\nCOMMIT;\n";
	}
	else
	{
		$sql = "$copy;\n$data\\.\n";
	}
	my ($ret, $out, $err) = $node->psql('postgres', $sql);
	if ($fate < 0.3)
	{
		push @lost, map { $_->{source_record_id} } @rows;
		note "COPY $copies ($n rows): $err" if $fate < 0.15 && $err !~ /ERROR/;
	}
	else
	{
		push @kept, map { $_->{source_record_id} } @rows;
		is($err, '', "COPY $copies of $n rows (" . ($csv ? 'csv' : 'text') . ')') if $err ne '';
	}
	$copies++;
}
$bench->finish;
is($?, 0, 'pgbench clients ended without an error') or diag($bench_err);
like($bench_out, qr/number of failed transactions: 0 /, 'no pgbench transaction failed');
note "$copies COPY statements, " . scalar(@kept) . ' rows kept, ' . scalar(@lost) . ' rolled back';

my $in = sub { join(',', map { "'$_'" } @_) || "''" };
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.punch WHERE source_record_id IN (' . $in->(@kept) . ')'),
	scalar(@kept), 'every row of a committed COPY is stored');
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.punch WHERE source_record_id IN (' . $in->(@lost) . ')'),
	'0', 'no row of a failed or rolled back COPY is stored');

# ---- the invariants -------------------------------------------------------
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.verify_facts()'), '0',
	'every punch and alert has its entry, and every entry its row');
like($node->safe_psql('postgres',
		q{SELECT count(*) FILTER (WHERE NOT ok) || ' bad of ' || count(*) FROM hrguard.verify_all()}),
	qr/^0 bad of [1-9]\d*$/, 'every chain verifies');
is($node->safe_psql('postgres', q{
	SELECT count(*) FROM hrguard.chain_head h
	 WHERE h.seq <> (SELECT max(seq) FROM hrguard.evidence e WHERE e.employee_id = h.employee_id)
		OR h.seq <> (SELECT count(*) FROM hrguard.evidence e WHERE e.employee_id = h.employee_id)}),
	'0', 'every head ends where its chain does, without a gap');
like($node->safe_psql('postgres', q{
	SELECT count(*) || ' punches, ' || count(*) FILTER (WHERE evidence_seq IS NULL) || ' without an entry, '
		   || (SELECT count(*) FROM hrguard.alert) || ' alerts'
	  FROM hrguard.punch}),
	qr/^[1-9]\d* punches, 0 without an entry, [1-9]\d* alerts$/, 'punches and alerts were written');

# ---- COPY and INSERT agree -----------------------------------------------
my @same = map { random_punch('CA', "same-$_") } 1 .. 150;
my @text = @same[ 0 .. 74 ];
my @csv = @same[ 75 .. 149 ];
my $copy_cols = join(', ', @columns);
$node->safe_psql('postgres', "COPY hrguard.punch ($copy_cols) FROM stdin;\n"
	  . join('', map { copy_line($_, 0) } @text) . "\\.\n"
	  . "COPY hrguard.punch ($copy_cols) FROM stdin (FORMAT csv);\n"
	  . join('', map { copy_line($_, 1) } @csv) . "\\.\n");
$_->{employee_id} = 'IA' for @same;
$_->{source_record_id} =~ s/^same/insert/ for @same;
$node->safe_psql('postgres', "INSERT INTO hrguard.punch ($copy_cols) VALUES "
	  . join(",\n", map { insert_values($_) } @same[ 0 .. 99 ]));
$node->safe_psql('postgres', "INSERT INTO hrguard.punch ($copy_cols) VALUES $_")
  for map { insert_values($_) } @same[ 100 .. 149 ];
my $classified = q{
	SELECT string_agg(concat_ws('|', punched_at, verdict, zone_id, watched_zone_id, off_hours,
								alert_kinds, risk), E'\n' ORDER BY punched_at)
	  FROM hrguard.punch WHERE employee_id = '%s'};
my $copied = $node->safe_psql('postgres', sprintf($classified, 'CA'));
is($copied, $node->safe_psql('postgres', sprintf($classified, 'IA')),
	'COPY and INSERT classify the same rows alike');
my $alerts = q{
	SELECT string_agg(concat_ws('|', kind, severity, occurred_at, reasons - 'punch_id'), E'\n' ORDER BY occurred_at, kind)
	  FROM hrguard.alert WHERE employee_id = '%s'};
is($node->safe_psql('postgres', sprintf($alerts, 'CA')), $node->safe_psql('postgres', sprintf($alerts, 'IA')),
	'and raise the same alerts');
# the same entries, but for the ids and the order within a statement (a
# statement's punch entries come before those of its alerts)
my $entries = q{
	SELECT string_agg(e, E'\n' ORDER BY e)
	  FROM (SELECT kind || ' ' || occurred_at || ' '
				   || regexp_replace(convert_from(canon, 'UTF8')::jsonb ->> 'p',
									 '"(punch_id|alert_id)": \d+|"(same|insert)-', '', 'g') AS e
			  FROM hrguard.evidence WHERE employee_id = '%s') s};
is($node->safe_psql('postgres', sprintf($entries, 'CA')), $node->safe_psql('postgres', sprintf($entries, 'IA')),
	'and record the same entries');
like($copied, qr/inside.*\n(.*\n)*.*outside/, 'the rows cover several verdicts');
is($node->safe_psql('postgres', 'SELECT count(*) FROM hrguard.verify_facts()'), '0',
	'and their evidence is complete');

$node->stop;
done_testing();
