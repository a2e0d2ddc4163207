#!/usr/bin/perl
# check-vectors.pl -- runs every test vector of test/vectors/VECTORS through
# hrguard-verify and checks its exit status, the seq its verdict (the last
# two lines of the report) names and what the report says.  Prints one "... ok" or "... FAILED" line a vector.
#
# Usage: check-vectors.pl HRGUARD_VERIFY VECTORS_DIR
use strict;
use warnings;

my ($verify, $dir) = @ARGV;
die "usage: $0 HRGUARD_VERIFY VECTORS_DIR\n" unless defined $dir;
open(my $list, '<', "$dir/VECTORS") or die "cannot read $dir/VECTORS: $!\n";
my $bad = 0;
while (my $line = <$list>)
{
	chomp $line;
	next if $line =~ /^\s*(#|$)/;
	my ($package, $checkpoint, $status, $seq, $pattern) = split /\t/, $line;
	die "malformed line: $line\n" unless defined $pattern;
	my @args = ($checkpoint eq '-' ? () : ('--checkpoint', "$dir/$checkpoint"), "$dir/$package");
	my $out = qx{"$verify" @{[ map { "'$_'" } @args ]} 2>&1};
	my $got = $? >> 8;
	my @why;
	push @why, "exit $got, expected $status" if $got != $status;
	push @why, "the report does not match /$pattern/" if $out !~ /$pattern/m;
	# the seq named in the verdict: the last two lines of the report
	my @lines = split /\n/, $out;
	my $verdict = join("\n", @lines[ ($#lines > 0 ? $#lines - 1 : 0) .. $#lines ]);
	push @why, "the verdict does not name seq $seq"
	  if $seq ne '-' && $verdict !~ /\bseqs? $seq\b/;
	my $name = "vector $package" . ($checkpoint eq '-' ? '' : " against $checkpoint");
	if (@why)
	{
		printf "%-70s ... FAILED (%s)\n%s", $name, join('; ', @why), $out;
		$bad++;
	}
	else
	{
		printf "%-70s ... ok\n", $name;
	}
}
exit($bad ? 1 : 0);
