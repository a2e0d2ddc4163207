#!/usr/bin/perl
# check-layers.pl -- the structure src/README.md describes, checked against
# the sources: every src/*.c is listed there; a file calls (hrguard_*
# functions) only files listed before it; each header declares only what
# its own .c defines.  Prints one "ok"/"FAILED" line per check and exits 1
# on a failure.
use strict;
use warnings;

my $src = shift @ARGV // 'src';
my $failed = 0;

sub slurp
{
	my ($path) = @_;
	open(my $fh, '<', $path) or die "$path: $!";
	local $/;
	return scalar <$fh>;
}

sub report
{
	my ($name, @problems) = @_;
	if (@problems)
	{
		print "structure: $name ... FAILED\n";
		print "  $_\n" foreach @problems;
		$failed = 1;
	}
	else
	{
		print "structure: $name ... ok\n";
	}
}

# the order of the modules, as the README lists them
my $readme = slurp("$src/README.md");
# the layers: from the numbered list on
$readme =~ s/\A.*?^1\. //ms;
my (%position, @order);
while ($readme =~ /`([a-z0-9_]+)\.c`/g)
{
	next if exists $position{$1};
	$position{$1} = scalar @order;
	push @order, $1;
}

my (%text, %defines);
foreach my $path (glob("$src/*.c"))
{
	my ($name) = $path =~ m{([a-z0-9_]+)\.c$};
	$text{$name} = slurp($path);
	$defines{$1} = $name while $text{$name} =~ /^(hrguard_\w+)\s*\(/mg;
	# exported variables: "type hrguard_name = ...;" or "type hrguard_name;"
	$defines{$1} = $name while $text{$name} =~ /^[A-Za-z][\w\t \*]*?\b(hrguard_\w+)\s*(?:\[[^\]]*\])?\s*(?:=[^;]*)?;/mg;
}

report('every source file is in src/README.md',
	map { "$_.c is not listed" } grep { !exists $position{$_} } sort keys %text);

my @upward;
foreach my $name (sort keys %text)
{
	next unless exists $position{$name};
	my %seen;
	while ($text{$name} =~ /\b(hrguard_\w+)\s*\(/g)
	{
		my $to = $defines{$1};
		next if !defined $to || $to eq $name || $seen{$to}++ || !exists $position{$to};
		push @upward, "$name.c calls $1 of $to.c, listed after it"
		  if $position{$to} > $position{$name};
	}
}
report('calls run from later modules to earlier ones only', @upward);

my @misplaced;
foreach my $path (glob("$src/*.h"))
{
	my ($name) = $path =~ m{([a-z0-9_]+)\.h$};
	my $header = slurp($path);
	while ($header =~ /^extern\s+[^;(]*?\b(hrguard_\w+)\s*[\(\[;]/mg)
	{
		my $where = $defines{$1} // 'nowhere';
		push @misplaced, "$name.h declares $1, defined in $where.c" if $where ne $name;
	}
}
report('each header declares what its own .c defines', @misplaced);
exit $failed;
