# HrguardDemo.pm -- for the TAP tests that load the demo's data set
# (test/demo/scenario.sql): the psql arguments that pass it the demo's
# vendor payloads, as test/demo/demo.sh passes them.
package HrguardDemo;
use strict;
use warnings;
use Exporter 'import';
our @EXPORT = qw(demo_payload_args);

sub demo_payload_args
{
	my ($stage) = @_;
	return map {
		my ($var, $file) = @$_;
		open my $fh, '<', "$stage/test/demo/$file" or die "$file: $!";
		local $/;
		('-v', "$var=" . <$fh>);
	} ([ 'dingtalk', 'dingtalk_listrecord.json' ], [ 'wecom', 'wecom_checkindata.json' ]);
}

1;
