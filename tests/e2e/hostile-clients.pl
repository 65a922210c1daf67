#!/usr/bin/perl
# tests/e2e/hostile-clients.pl - the hostile clients of tests/e2e/hostile.test
# (read that first) and the supervisor it runs one worker under.  Each
# subcommand prints one line of counts on stdout and exits 0; a client that
# cannot do its part (no connection, a hang past LIMIT seconds) dies with a
# message on stderr and exit status 1.  Files named READY and GO are how the
# test and a client take turns: the client creates READY, the test GO.
#
#   abort PORT URI N WANT       N GETs of URI through nginx, one after the
#                               other, each closed by the client in the
#                               middle of the body (the cut point moves
#                               through the whole body; every second one
#                               closed with a TCP reset), after checking the
#                               status and that the bytes so far are WANT's
#   slow PORT URI N WANT KIB READY GO
#                               N connections at once, each with a 4 KiB
#                               receive buffer, reading 1 KiB every 100 ms
#                               up to KIB KiB; then READY, and no reading
#                               until GO; then the odd ones go away and the
#                               even ones read the rest at full speed and
#                               compare the whole body with WANT
#   stall PORT URI N READY      N POSTs at once, each announcing a
#                               1000-byte body and sending 10 bytes; READY;
#                               then how nginx ended each connection
#   term SOCKET URI WANT READY GO
#                               one FastCGI GET of URI straight to the
#                               worker's SOCKET, 4 KiB of the answer read,
#                               READY, nothing read until GO, then the rest:
#                               the body must be WANT and the request must
#                               end with application status 0
#   shapes SOCKET ROUNDS SHAPE...
#                               ROUNDS times each CVE-2025-23016 SHAPE
#                               (below) straight to the worker's SOCKET;
#                               per shape, what the worker did
use strict;
use warnings;
use IO::Select;
use IO::Socket::INET;
use IO::Socket::UNIX;
use POSIX ();
use Socket qw(SOCK_STREAM SOL_SOCKET SO_LINGER SO_RCVBUF SHUT_WR);
use Time::HiRes qw(sleep);

my $LIMIT = 120;    # seconds: a client still waiting then is a hang, an error
$SIG{ALRM} = sub { die "still waiting after $LIMIT s\n" };

sub slurp {
	my ($path) = @_;
	open(my $f, '<', $path) or die "$path: $!\n";
	binmode $f;
	local $/;
	return scalar <$f>;
}

sub touch {
	open(my $f, '>', $_[0]) or die "$_[0]: $!\n";
	close $f;
}

# wait_for FILE: until FILE exists (LIMIT bounds it through alarm).
sub wait_for {
	sleep 0.02 until -e $_[0];
}

sub http_connect {
	my ($port) = @_;
	my $s = IO::Socket::INET->new(PeerAddr => '127.0.0.1', PeerPort => $port,
		Proto => 'tcp', Timeout => 10) or die "connect 127.0.0.1:$port: $!\n";
	binmode $s;
	return $s;
}

# FastCGI records (FastCGI 1.0, request id 1).
sub rec {
	my ($type, $content) = @_;
	return pack('CCnnCC', 1, $type, 1, length($content), 0, 0) . $content;
}

sub pairs {
	my $s = '';
	while (@_) {
		my ($k, $v) = splice(@_, 0, 2);
		$s .= pack('CC', length($k), length($v)) . $k . $v;
	}
	return $s;
}

sub fcgi_get {
	my ($uri) = @_;
	return rec(1, pack('nCx5', 1, 0))
		. rec(4, pairs(GATEWAY_INTERFACE => 'CGI/1.1', REQUEST_METHOD => 'GET',
			SCRIPT_NAME => $uri, QUERY_STRING => '', SERVER_PROTOCOL => 'HTTP/1.1',
			SERVER_NAME => 'localhost', SERVER_PORT => '80'))
		. rec(4, '') . rec(5, '');
}

sub unix_connect {
	my ($path) = @_;
	my $s = IO::Socket::UNIX->new(Type => SOCK_STREAM, Peer => $path)
		or die "connect $path: $!\n";
	binmode $s;
	return $s;
}

# ---- abort ---------------------------------------------------------------
sub abort_downloads {
	my ($port, $uri, $n, $wantf) = @_;
	my $want = slurp($wantf);
	my $len = length $want;
	my ($cut, $rst, $whole, @bad) = (0, 0, 0);
	for my $i (0 .. $n - 1) {
		my $at = 1 + ($i * 104729) % ($len - 1);    # 1 .. len-1
		my $s = http_connect($port);
		syswrite($s, "GET $uri?abort=$i HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
		my ($got, $body) = ('', -1);
		while (1) {
			# Small reads until the header block is in, then up to $at.
			my $want_now = $body < 0 ? 256 : $at - (length($got) - $body);
			last if $want_now <= 0;
			my $r = sysread($s, $got, $want_now, length $got);
			last unless $r;
			if ($body < 0) {
				my $k = index($got, "\r\n\r\n");
				$body = $k + 4 if $k >= 0;
			}
		}
		my $have = $body < 0 ? -1 : length($got) - $body;
		if ($got !~ m{^HTTP/1\.1 200 } || $have < $at ||
		    substr($got, $body) ne substr($want, 0, $have)) {
			push @bad, "#$i(" . ($got =~ /^([^\r\n]*)/)[0] . ", $have of $at bytes)";
		} elsif ($have < $len) {
			$cut++;
		} else {
			$whole++;
		}
		if ($i % 2) {    # no FIN: a reset, as from a killed client
			setsockopt($s, SOL_SOCKET, SO_LINGER, pack('ii', 1, 0));
			$rst++;
		}
		close $s;
	}
	printf "sent %d cut %d whole %d reset %d bad %d%s\n", $n, $cut, $whole, $rst,
		scalar @bad, @bad ? ' ' . join(' ', @bad[0 .. ($#bad < 4 ? $#bad : 4)]) : '';
}

# ---- slow ------------------------------------------------------------------
sub slow_readers {
	my ($port, $uri, $n, $wantf, $kib, $ready, $go) = @_;
	my $want = slurp($wantf);
	my @c;
	for my $i (0 .. $n - 1) {
		my $s = http_connect($port);
		setsockopt($s, SOL_SOCKET, SO_RCVBUF, 4096);
		syswrite($s, "GET $uri?slow=$i HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
		$s->blocking(0);
		push @c, { s => $s, got => '', eof => 0 };
	}
	# The slow part: 1 KiB per connection per 100 ms, KIB KiB each (at most
	# 10 * KIB rounds: a connection nginx gives nothing to does not hold
	# the others).
	my $reached = 0;
	for (my $round = 0; $round < 10 * $kib; $round++) {
		$reached = 0;
		for my $c (@c) {
			if ($c->{eof} || length($c->{got}) >= $kib * 1024) {
				$reached++;
				next;
			}
			my $r = sysread($c->{s}, $c->{got}, 1024, length $c->{got});
			$c->{eof} = 1 if defined $r && $r == 0;
		}
		last if $reached == $n;
		sleep 0.1;
	}
	touch($ready);
	wait_for($go);
	# Odd ones go away; even ones read the rest as fast as they can.
	my $sel = IO::Select->new;
	my ($gone, $finished, @bad) = (0, 0);
	for my $i (0 .. $n - 1) {
		if ($i % 2) {
			close $c[$i]{s};
			$gone++;
		} else {
			setsockopt($c[$i]{s}, SOL_SOCKET, SO_RCVBUF, 1 << 20);
			$c[$i]{s}->blocking(1);
			$sel->add($c[$i]{s});
		}
	}
	my %by = map { ($c[$_]{s} => $_) } grep { !($_ % 2) } 0 .. $n - 1;
	while ($sel->count) {
		for my $s ($sel->can_read) {
			my $c = $c[$by{$s}];
			my $r = sysread($s, $c->{got}, 65536, length $c->{got});
			next if $r;
			$sel->remove($s);
			close $s;
			my $k = index($c->{got}, "\r\n\r\n");
			if ($c->{got} =~ m{^HTTP/1\.1 200 } && $k >= 0 && substr($c->{got}, $k + 4) eq $want) {
				$finished++;
			} else {
				push @bad, "#$by{$s}(" . ($c->{got} =~ /^([^\r\n]*)/)[0]
					. ', ' . ($k < 0 ? 0 : length($c->{got}) - $k - 4) . ' body bytes)';
			}
		}
	}
	printf "readers %d reached %d gone %d finished %d bad %d%s\n", $n, $reached, $gone,
		$finished, scalar @bad, @bad ? ' ' . join(' ', @bad[0 .. ($#bad < 4 ? $#bad : 4)]) : '';
}

# ---- stall -----------------------------------------------------------------
sub stalled_bodies {
	my ($port, $uri, $n, $ready) = @_;
	my $sel = IO::Select->new;
	my %got;
	for my $i (0 .. $n - 1) {
		my $s = http_connect($port);
		syswrite($s, "POST $uri?stall=$i HTTP/1.1\r\nHost: 127.0.0.1\r\n"
			. "Content-Type: application/x-www-form-urlencoded\r\n"
			. "Content-Length: 1000\r\n\r\n0123456789");
		$sel->add($s);
		$got{$s} = '';
	}
	touch($ready);
	my ($closed, $s408, @other) = (0, 0);
	while ($sel->count) {
		for my $s ($sel->can_read) {
			my $r = sysread($s, $got{$s}, 4096, length $got{$s});
			next if $r;
			$sel->remove($s);
			close $s;
			if ($got{$s} eq '') {
				$closed++;
			} elsif ($got{$s} =~ m{^HTTP/1\.1 408 }) {
				$s408++;
			} else {
				push @other, ($got{$s} =~ /^([^\r\n]*)/)[0];
			}
		}
	}
	printf "stalled %d closed-silently %d status-408 %d other %d%s\n", $n, $closed, $s408,
		scalar @other, @other ? " ($other[0])" : '';
}

# ---- term ------------------------------------------------------------------
sub term_request {
	my ($path, $uri, $wantf, $ready, $go) = @_;
	my $want = slurp($wantf);
	my $s = unix_connect($path);
	my $req = fcgi_get($uri);
	syswrite($s, $req) == length $req or die "write: $!\n";
	my $in = '';
	sysread($s, $in, 4096) or die "no answer\n";
	touch($ready);
	wait_for($go);
	while (sysread($s, $in, 65536, length $in)) { }
	my ($out, $app, $proto) = ('', -1, -1);
	while (length($in) >= 8) {
		my (undef, $type, undef, $len, $pad) = unpack('CCnnC', $in);
		last if length($in) < 8 + $len + $pad;
		$out .= substr($in, 8, $len) if $type == 6;    # FCGI_STDOUT
		($app, $proto) = unpack('NC', substr($in, 8, 5)) if $type == 3;
		substr($in, 0, 8 + $len + $pad) = '';
	}
	my $k = index($out, "\r\n\r\n");
	my $body = $k < 0 ? '' : substr($out, $k + 4);
	printf "%s body %d of %d bytes app-status %d protocol-status %d\n",
		($body eq $want && $out =~ /^Status: 200 /) ? 'complete' : 'INCOMPLETE',
		length $body, length $want, $app, $proto;
}

# ---- shapes ----------------------------------------------------------------
# FCGI_PARAMS shapes of CVE-2025-23016 (libfcgi's ReadParams added two
# peer-supplied 31-bit lengths in an int); tests/e2e/run.test section 6b
# and SECURITY.md say what each is and what the fixed libfcgi does.  A
# FastCGI length is one byte, or four with the top bit set.
sub shape {
	my ($name) = @_;
	my $begin = rec(1, pack('nCx5', 1, 0));
	my %shapes = (
		'huge'       => $begin . rec(4, pack('NN', 0xffffffff, 0xffffffff) . 'AB'),
		'huge-name'  => $begin . rec(4, pack('NC', 0xffffffff, 3) . 'ABCDE'),
		'overlong'   => $begin . rec(4, pack('CC', 10, 200) . 'SHORTNAME') . rec(4, ''),
		'mid-pair'   => $begin . rec(4, pack('C', 5)) . rec(4, ''),
		'mid-record' => $begin . pack('CCnnCC', 1, 4, 1, 100, 0, 0) . '0123456789',
		'no-begin'   => rec(4, pack('NN', 0xffffffff, 0xffffffff) . 'AB') . rec(4, ''),
		'sum'        => $begin . rec(4, pack('NN', 0xfffffffe, 0xfffffffe) . 'AB'),
	);
	die "unknown shape $name\n" unless exists $shapes{$name};
	return $shapes{$name};
}

sub shapes {
	my ($path, $rounds, @names) = @_;
	my %tally;
	for (1 .. $rounds) {
		for my $name (@names) {
			my $bytes = shape($name);
			my $s = unix_connect($path);
			syswrite($s, $bytes) == length $bytes or die "write: $!\n";
			shutdown($s, SHUT_WR) if $name eq 'mid-record';
			my $got = '';
			my $sel = IO::Select->new($s);
			my $what;
			while (1) {
				if (!$sel->can_read(10)) { $what = 'no-end'; last; }
				my $r = sysread($s, $got, 4096, length $got);
				if (!$r) { $what = length($got) ? 'answered' : 'closed'; last; }
			}
			close $s;
			$tally{$name}{$what}++;
		}
	}
	print join('; ', map {
		my $n = $_;
		"$n " . join(' ', map { "$_ $tally{$n}{$_}" } sort keys %{ $tally{$n} })
	} @names), "\n";
}

my %sub = (abort => \&abort_downloads, slow => \&slow_readers, stall => \&stalled_bodies,
	term => \&term_request, shapes => \&shapes);
my $what = shift // '';
die "usage: hostile-clients.pl abort|slow|stall|term|shapes ARGS...\n"
	unless $sub{$what};
alarm $LIMIT;
$sub{$what}->(@ARGV);
exit 0;
