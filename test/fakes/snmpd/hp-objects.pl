#!/usr/bin/perl
# snmpd pass_persist handler: plays an HP printer's objects from a table (hp-objects.tab, written by
# test/fakes/snmpd.ts from appliance/src/sim/hp-objects.ts: the MIBs' own names, numbers and factory values).
# Each object's current value is a file in the state folder (so several handler processes, and a test that
# plants a value a firmware might report, see the same state). Native behaviours: enumerations and ranges
# refused with wrong-value, sizes with wrong-length, wrong types with wrong-type; password objects answer
# only SET / NOT_SET (or a state digit) and keep the secret in a file of its own; a verify object answers
# genError unless the written candidate equals the secret.
# usage: hp-objects.pl TABLE STATE_DIR SUBTREE   (only the objects under SUBTREE, so a walk stays inside it)
use strict;
use warnings;
$| = 1;
my ($table, $state, $subtree) = @ARGV;
mkdir $state unless -d $state;
my (%obj, @order);
open(my $t, '<', $table) or die "cannot read $table: $!";
while (my $line = <$t>) {
  chomp $line;
  next if $line eq '' || $line =~ /^#/;
  my ($oid, $syntax, $rule, $factory, $wo, $verifies, $name) = split /\t/, $line, -1;
  next if defined $subtree && index($oid, "$subtree.") != 0;
  $obj{$oid} = { syntax => $syntax, rule => $rule, factory => $factory, wo => $wo, verifies => $verifies, name => $name };
  push @order, $oid;
}
close $t;
sub cmp_oid { my @a = split /\./, substr($_[0], 1); my @b = split /\./, substr($_[1], 1);
  for my $i (0 .. ($#a < $#b ? $#a : $#b)) { return $a[$i] <=> $b[$i] if $a[$i] != $b[$i]; } return @a <=> @b; }
@order = sort { cmp_oid($a, $b) } @order;

sub file { my ($oid, $kind) = @_; (my $f = $oid) =~ s/^\.//; return "$state/$kind.$f"; }
sub slurp { my $f = shift; return undef unless -f $f; open(my $h, '<', $f) or return undef; local $/; my $v = <$h>; close $h; $v =~ s/\s+$//; return $v; }
sub spit { my ($f, $v) = @_; open(my $h, '>', "$f.tmp") or die; print $h "$v\n"; close $h; rename "$f.tmp", $f; }
# Values are kept as the wire would carry them: decimal, dotted quad, or hex octets.
sub current { my $oid = shift; my $v = slurp(file($oid, 'value')); return defined $v ? $v : $obj{$oid}{factory}; }
sub secret_hex { my $oid = shift; my $v = slurp(file($oid, 'secret')); return defined $v ? $v : ''; }
sub hex_of { return join '', map { sprintf '%02x', ord } split //, shift; }

sub answer {
  my $oid = shift;
  my $o = $obj{$oid};
  if ($o->{wo}) {
    my $set = secret_hex($oid) ne '';
    my $word = $o->{wo} eq 'state-digit' ? ($set ? '1' : '0') : ($set ? 'SET' : 'NOT_SET');
    return "$oid\nstring\n$word\n";
  }
  my $v = current($oid);
  return "$oid\ninteger\n$v\n" if $o->{syntax} eq 'Integer';
  return "$oid\nipaddress\n$v\n" if $o->{syntax} eq 'IpAddress';
  my $spaced = join ' ', ($v =~ /(..)/g);
  return "$oid\noctet\n" . ($spaced eq '' ? '""' : $spaced) . "\n";
}

sub set_value {
  my ($oid, $typed) = @_;
  my $o = $obj{$oid} or return 'not-writable';
  my ($type, $raw) = $typed =~ /^(\S+)\s?(.*)$/;
  my $value;
  if ($o->{syntax} eq 'Integer') {
    return 'wrong-type' unless $type eq 'integer';
    $value = $raw;
    my $rule = $o->{rule};
    if ($rule =~ /^values:(.*)$/) { return 'wrong-value' unless grep { $_ == $value } split /,/, $1; }
    elsif ($rule =~ /^range:(-?\d+):(-?\d+)$/) { return 'wrong-value' if $value < $1 || $value > $2; }
  } elsif ($o->{syntax} eq 'IpAddress') {
    return 'wrong-type' unless $type eq 'ipaddress';
    $value = $raw;
  } else {
    return 'wrong-type' unless $type eq 'string' || $type eq 'octet';
    $raw =~ s/^"//; $raw =~ s/"$//;
    $value = $type eq 'string' ? hex_of($raw) : join '', split / /, $raw;
    if ($o->{rule} =~ /^size:(\d+):(\d+)$/) { my $n = length($value) / 2; return 'wrong-length' if $n < $1 || $n > $2; }
  }
  if ($o->{verifies} ne '') { return secret_hex($o->{verifies}) eq $value ? 'DONE' : 'gen-error'; }
  # The MIB: IPP authentication is accepted only once an IPP user and password are set (never, here).
  return 'inconsistent-value' if $o->{name} eq 'npSecurityIppAuthentication' && $value == 1;
  if ($o->{wo}) { spit(file($oid, 'secret'), $value); return 'DONE'; }
  spit(file($oid, 'value'), $value);
  return 'DONE';
}

while (my $cmd = <STDIN>) {
  chomp $cmd;
  if ($cmd eq 'PING') { print "PONG\n"; }
  elsif ($cmd eq 'get') { chomp(my $oid = <STDIN>); print exists $obj{$oid} ? answer($oid) : "NONE\n"; }
  elsif ($cmd eq 'getnext') {
    chomp(my $oid = <STDIN>);
    my ($next) = grep { cmp_oid($_, $oid) > 0 } @order;
    print defined $next ? answer($next) : "NONE\n";
  }
  elsif ($cmd eq 'set') { chomp(my $oid = <STDIN>); chomp(my $typed = <STDIN>); print set_value($oid, $typed), "\n"; }
}
