#!/usr/bin/perl
# check-structure.pl -- the structure src/README.md describes, checked
# against the sources: every src/*.c is listed there; a file calls
# (hrguard_* functions) only files listed before it; each header declares
# only what its own .c defines.  And the documentation's links: every
# relative link of README.md, docs/*.md and src/README.md reaches a file
# and, when it names one, a heading of it; the README links every document
# in docs/.  Prints one "ok"/"FAILED" line per check and exits 1 on a
# failure.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;

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

# ---- the documentation ---------------------------------------------------
my $top = "$src/..";

# the anchors GitHub makes of a document's headings (not inside code)
sub anchors
{
	my ($path) = @_;
	my (%anchors, $fence);
	foreach my $line (split /\n/, slurp($path))
	{
		$fence = !$fence if $line =~ /^```/;
		next if $fence || $line !~ /^#{1,6} (.*)/;
		my $anchor = lc $1;
		$anchor =~ s/[^\w\- ]//g;
		$anchor =~ s/ /-/g;
		$anchors{$anchor} = 1;
	}
	return \%anchors;
}

my @documents = ("$top/README.md", glob("$top/docs/*.md"), "$top/src/README.md");
my @broken;
foreach my $doc (@documents)
{
	my $text = slurp($doc);
	while ($text =~ /\]\(([^)\s]+)\)/g)
	{
		my $link = $1;
		next if $link =~ m{^[a-z]+://};
		my ($path, $anchor) = split /#/, $link, 2;
		my $target = $path eq '' ? $doc : File::Spec->catfile(dirname($doc), $path);
		if (!-e $target)
		{
			push @broken, "$doc: $link (no such file)";
		}
		elsif (defined $anchor && $target =~ /\.md$/ && !anchors($target)->{$anchor})
		{
			push @broken, "$doc: $link (no such heading)";
		}
	}
}
report('every link of the documentation reaches its target', @broken);

my $top_readme = slurp("$top/README.md");
report('the README links every document in docs/',
	map { "docs/$_ is not linked" }
	grep { index($top_readme, "(docs/$_") < 0 }
	map { (File::Spec->splitpath($_))[2] } glob("$top/docs/*.md"));
exit $failed;
