#!/usr/bin/perl
# check-docs.pl -- the documentation's links: every relative link of
# README.md, docs/*.md and src/README.md reaches a file and, when it names
# one, a heading of it; the README links every document in docs/.  Prints
# one "ok"/"FAILED" line per check and exits 1 on a failure.
use strict;
use warnings;
use File::Basename qw(dirname);
use File::Spec;

my $top = shift @ARGV // '.';
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
	print "structure: $name ... ", (@problems ? "FAILED\n" : "ok\n");
	print "  $_\n" foreach @problems;
	$failed = 1 if @problems;
}

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

my $readme = slurp("$top/README.md");
report('the README links every document in docs/',
	map { "docs/$_ is not linked" }
	grep { index($readme, "(docs/$_") < 0 }
	map { (File::Spec->splitpath($_))[2] } glob("$top/docs/*.md"));
exit $failed;
