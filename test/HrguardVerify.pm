# HrguardVerify.pm -- for the TAP tests that run hrguard-verify on packages
# they export: writing a file, and running hrguard-verify for its exit
# status and report.
package HrguardVerify;
use strict;
use warnings;
use Exporter 'import';
use IPC::Run;
our @EXPORT = qw(write_file verify);

sub write_file
{
	my ($path, $text) = @_;
	open my $f, '>', $path or die "$path: $!";
	print $f $text;
	close $f;
}

# (exit status, stdout and stderr) of hrguard-verify with these arguments
sub verify
{
	my @args = @_;
	my ($stdout, $stderr);
	IPC::Run::run([ 'hrguard-verify', @args ], '>', \$stdout, '2>', \$stderr);
	return ($? >> 8, $stdout . $stderr);
}

1;
