"""protocol.py - the FastCGI server of rsp_run against a raw peer that does
what web servers may legally do: keep connections, abort, send management
records, send nothing, stall, close early; plus signals in every state,
listening addresses, and the handlers' stderr.  Every check counts the
records of each request.

Usage: python3 protocol.py PROBE    (PROBE: the built tests/fcgi/probe)
Prints PASS/FAIL lines and "N passed, N failed"; exit 1 on any failure.
"""
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import fcgiclient as f  # noqa: E402

PROBE = os.path.abspath(sys.argv[1])
# A sanitizer's runtime has memory and threads of its own: memory is then
# reported, not judged.
with open(PROBE, "rb") as _fh:
    _image = _fh.read()
SANITIZED = b"__tsan_init" in _image or b"__asan_init" in _image
TMP = tempfile.mkdtemp(prefix="respond-fcgi-")
passed = failed = 0


def check(name, ok, why=""):
    global passed, failed
    if ok:
        passed += 1
        print("PASS: " + name)
    else:
        failed += 1
        why = str(why)
        print("FAIL: %s: %s" % (name, why if len(why) < 400 else why[:400] + "..."))
    sys.stdout.flush()


HELLO = (b"Status: 200 OK\r\nContent-Type: text/plain\r\n"
         b"Content-Length: 3\r\n\r\nok\n")
ONE_ANSWER = [("STDOUT", 1, len(HELLO)), ("STDOUT", 1, 0), ("END", 1, 8)]


class Server:
    """The probe as a FastCGI application on a socket of its own."""
    n = 0

    def __init__(self, env=None, addr=None, stdin=None, pass_fds=(),
                 argv=None, preexec=None):
        Server.n += 1
        self.addr = addr or os.path.join(TMP, "s%d.sock" % Server.n)
        e = dict(os.environ)
        e.pop("RSP_FCGI_SOCKET", None)
        if stdin is None:
            e["RSP_FCGI_SOCKET"] = self.addr if isinstance(self.addr, str) \
                else "%s:%d" % self.addr
        e.update(env or {})
        self.err_path = os.path.join(TMP, "s%d.err" % Server.n)
        self.err = open(self.err_path, "wb")
        self.p = subprocess.Popen(argv or [PROBE], env=e, stdout=self.err,
                                  stderr=self.err,
                                  stdin=stdin if stdin is not None
                                  else subprocess.DEVNULL,
                                  pass_fds=pass_fds, preexec_fn=preexec)
        self.ok = f.wait_listening(self.addr)
        self.signalled = False

    def send(self, sig=signal.SIGTERM):
        """A signal the test sends; stop() then only waits (a second
        SIGTERM while rsp_run returns would meet the default action)."""
        self.signalled = True
        self.p.send_signal(sig)

    def conn(self, timeout=5.0):
        return f.Conn(self.addr, timeout)

    def stderr(self):
        with open(self.err_path, "rb") as fh:
            return fh.read()

    def stop(self, sig=signal.SIGTERM, within=5.0):
        """Exit status and seconds from the signal to the exit."""
        t = time.time()
        if self.p.poll() is None and not self.signalled:
            self.p.send_signal(sig)
        try:
            rc = self.p.wait(within)
        except subprocess.TimeoutExpired:
            self.p.kill()
            self.p.wait()
            rc = "still running after %.1f s" % within
        self.err.close()
        return rc, time.time() - t

    def thread_count(self):
        with open("/proc/%d/status" % self.p.pid) as fh:
            for line in fh:
                if line.startswith("Threads:"):
                    return int(line.split()[1])
        return -1


def get(c, rid=1, keep=False, query="", **extra):
    c.send(f.request(rid, f.env_get(query=query, **extra), keep=keep))
    return c.read_response(rid)


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


# ---- one END per request ------------------------------------------------

def t_records():
    s = Server()
    c = s.conn()
    recs, out, err, app, proto = get(c)
    check("records-one-connection", recs == ONE_ANSWER and out == HELLO,
          repr(recs))
    check("records-closed-without-keep", c.closed_within(2),
          "the connection stayed open without FCGI_KEEP_CONN")
    c = s.conn()
    bad = []
    for i in range(100):
        recs, out, err, app, proto = get(c, keep=True)
        if recs != ONE_ANSWER or out != HELLO:
            bad.append((i, recs))
    check("records-100-on-kept-connection", not bad, repr(bad[:3]))
    check("records-nothing-stray", not c.closed_within(0.3) and c.buf == b"",
          "bytes after the last END_REQUEST: %r" % c.buf)
    # early finish, handler failure, refused request: still one end each
    for name, q, extra in (("early", "early=1&ms=10", {}),
                           ("refused", "", {"REQUEST_METHOD": "POST",
                                            "CONTENT_LENGTH": "abc"}),
                           ("stream", "n=3&size=10", {})):
        c.send(f.request(1, f.env_get(query=q, **extra), keep=True))
        recs, out, err, app, proto = c.read_response(1)
        ends = [r for r in recs if r[0] == "END"]
        stdout_ends = [r for r in recs if r[0] == "STDOUT" and r[2] == 0]
        time.sleep(0.05)
        stray = not c.closed_within(0.2) and c.buf == b""
        check("records-one-end-" + name,
              len(ends) == 1 and len(stdout_ends) == 1 and stray,
              repr(recs) + " then %r" % c.buf)
    check("records-server-quiet-on-own-stderr",
          b"respond:" not in s.stderr().replace(b"probe:", b""),
          s.stderr()[:200])
    s.stop()


# ---- management records, abort, multiplexing ----------------------------

def t_management():
    s = Server(env={"RSP_MAX_CONNS": "7"})
    c = s.conn()
    c.send(f.record(f.GET_VALUES, 0, f.pairs(
        {"FCGI_MAX_CONNS": "", "FCGI_MAX_REQS": "", "FCGI_MPXS_CONNS": "",
         "X_UNKNOWN": ""})))
    t, rid, content = c.read_record()
    want = f.pairs({"FCGI_MAX_CONNS": "7", "FCGI_MAX_REQS": "7",
                    "FCGI_MPXS_CONNS": "0"})
    check("get-values", t == f.GET_VALUES_RESULT and rid == 0 and
          content == want, repr((t, rid, content)))
    c.send(f.record(42, 0, b"abcdefgh"))
    t, rid, content = c.read_record()
    check("unknown-type", t == f.UNKNOWN_TYPE and content == b"\x2a" + b"\0" * 7,
          repr((t, rid, content)))
    recs, out, err, app, proto = get(c, keep=True)
    check("management-then-request", recs == ONE_ANSWER, repr(recs))
    # an authorizer is a role this application does not play
    c.send(f.begin(5, keep=True, role=2))
    recs, out, err, app, proto = c.read_response(5)
    check("unknown-role", proto == 3 and recs == [("END", 5, 8)], repr(recs))
    # abort before the head is complete
    c.send(f.begin(6, keep=True) + f.record(f.PARAMS, 6, f.pairs(
        {"REQUEST_METHOD": "GET"})) + f.record(f.ABORT, 6))
    recs, out, err, app, proto = c.read_response(6)
    check("abort-before-head", recs == [("END", 6, 8)], repr(recs))
    recs, out, err, app, proto = get(c, keep=True)
    check("abort-then-request", recs == ONE_ANSWER, repr(recs))
    # abort while the handler streams: its next write fails, one END
    c.send(f.request(1, f.env_get(query="n=50&ms=40&size=100"), keep=True))
    first = c.read_record()
    c.send(f.record(f.ABORT, 1))
    t0 = time.time()
    recs, out, err, app, proto = c.read_response(1)
    ends = [r for r in recs if r[0] == "END"]
    check("abort-while-streaming", first[0] == f.STDOUT and len(ends) == 1 and
          time.time() - t0 < 1.0, "%r after %.2f s" % (recs, time.time() - t0))
    check("abort-write-fails", b"probe: write 3: output failed" in err or
          b"output failed" in s.stderr() or b"output failed" in err,
          (err + s.stderr())[-300:])
    recs, out, err, app, proto = get(c, keep=True)
    check("abort-then-request-again", recs == ONE_ANSWER, repr(recs))
    # a second request on a busy connection that does not multiplex
    c.send(f.request(1, f.env_get(query="sleep=200"), keep=True))
    time.sleep(0.05)
    c.send(f.begin(2, keep=True))
    got = []
    while True:
        t, rid, content = c.read_record()
        got.append((f.NAMES.get(t), rid))
        if t == f.END and rid == 1:
            break
    check("cant-mpx-conn", ("END", 2) in got and
          got.index(("END", 2)) < got.index(("END", 1)), repr(got))
    s.stop()


# ---- bounded waits ------------------------------------------------------

def t_waits():
    s = Server(env={"RSP_READ_TIMEOUT": "1"})
    idle = s.conn()                         # sends nothing
    partial = s.conn()
    partial.send(f.begin(1)[:5])            # stalls mid-record
    t0 = time.time()
    c = s.conn()
    recs, out, err, app, proto = get(c)
    check("silent-peers-do-not-delay-others", recs == ONE_ANSWER and
          time.time() - t0 < 0.5, "%.2f s" % (time.time() - t0))
    check("silent-peer-dropped", idle.closed_within(3), "still open")
    check("stalled-record-dropped", partial.closed_within(3), "still open")
    # the body stalls after 3 of 10 bytes
    c = s.conn()
    c.send(f.begin(1) + f.record(f.PARAMS, 1, f.pairs(f.env_get(
        query="body=1", REQUEST_METHOD="POST", CONTENT_LENGTH="10"))) +
        f.record(f.PARAMS, 1) + f.record(f.STDIN, 1, b"abc"))
    t0 = time.time()
    recs, out, err, app, proto = c.read_response(1)
    check("stalled-body-answered-400", out.startswith(b"Status: 400") and
          0.8 < time.time() - t0 < 3, "%r after %.2f s" % (out[:40], time.time() - t0))
    # two kept connections, one worker: neither waits on the other
    a, b = s.conn(), s.conn()
    slow = []
    for i in range(20):
        for conn in (a, b) if i % 2 else (b, a):
            t0 = time.time()
            recs, out, err, app, proto = get(conn, keep=True)
            if recs != ONE_ANSWER or time.time() - t0 > 0.5:
                slow.append((i, recs, time.time() - t0))
    check("two-kept-connections-one-worker", not slow, repr(slow[:2]))
    s.stop()


def t_limits():
    s = Server(env={"RSP_MAX_CONNS": "2"})
    a, b = s.conn(), s.conn()
    get(a, keep=True)
    get(b, keep=True)
    c = s.conn()
    recs, out, err, app, proto = get(c, keep=True)
    check("max-conns-evicts-idle", recs == ONE_ANSWER, repr(recs))
    check("max-conns-oldest-closed", a.closed_within(1), "a is still open")
    # PARAMS over the limit: 431, the connection goes on
    d = s.conn()
    d.send(f.request(1, f.env_get(HTTP_X_BIG="x" * 300000), keep=True))
    recs, out, err, app, proto = d.read_response(1)
    check("params-over-limit-431", out.startswith(b"Status: 431"), out[:60])
    check("protocol-version-refused", bad_version(s), "no close")
    s.stop()


def bad_version(s):
    c = s.conn()
    c.send(b"\x02" + f.begin(1)[1:])
    return c.closed_within(2)


# ---- signals --------------------------------------------------------------

def stop_case(name, srv, setup, limit=1.0):
    held = setup(srv)
    rc, secs = srv.stop()
    print("# sigterm-%s: exit %r after %.3f s" % (name, rc, secs))
    check("sigterm-" + name, rc == 0 and secs < limit,
          "exit %r after %.2f s" % (rc, secs))
    return held


def t_signals():
    stop_case("idle", Server(), lambda s: None)

    def kept(s):
        c = s.conn()
        get(c, keep=True)
        return c
    stop_case("kept-connection", Server(), kept)
    port = free_port()
    stop_case("half-open-tcp", Server(addr=("127.0.0.1", port)),
              lambda s: [s.conn() for _ in range(3)])
    port = free_port()

    def threads_half_open(s):
        held = [s.conn() for _ in range(5)]
        c = s.conn()
        recs, out, err, app, proto = get(c)
        check("threads-half-open-others-served", recs == ONE_ANSWER,
              repr(recs))
        return held
    stop_case("threads-half-open", Server(addr=("127.0.0.1", port),
              env={"RSP_THREADS": "4"}), threads_half_open)

    # during a request: it finishes first, then the exit
    s = Server()
    c = s.conn()
    c.send(f.request(1, f.env_get(query="sleep=500")))
    time.sleep(0.1)
    s.send()
    recs, out, err, app, proto = c.read_response(1)
    rc, secs = s.stop()
    check("sigterm-during-request-finishes", recs == ONE_ANSWER and rc == 0,
          "%r exit %r" % (recs, rc))
    # ... and a new connection is no longer accepted meanwhile
    s = Server(env={"RSP_THREADS": "2"})
    c = s.conn()
    c.send(f.request(1, f.env_get(query="sleep=600")))
    time.sleep(0.1)
    s.send()
    time.sleep(0.1)
    try:
        late = s.conn(1)
        late.send(f.request(1, f.env_get()))
        refused = late.closed_within(1.5)
    except OSError:
        refused = True
    recs, out, err, app, proto = c.read_response(1)
    rc, secs = s.stop()
    check("sigterm-stops-accepting", refused and recs == ONE_ANSWER and rc == 0,
          "late refused %r, %r, exit %r" % (refused, recs, rc))
    # the drain deadline
    s = Server(env={"RSP_DRAIN_TIMEOUT": "500ms"})
    c = s.conn()
    c.send(f.request(1, f.env_get(query="sleep=3000")))
    time.sleep(0.1)
    rc, secs = s.stop(within=5)
    check("drain-deadline", rc == 1 and secs < 1.5 and
          b"RSP_DRAIN_TIMEOUT" in s.stderr(),
          "exit %r after %.2f s: %r" % (rc, secs, s.stderr()[-200:]))
    # SIGHUP is not a crash; SIGINT stops as SIGTERM does
    s = Server()
    s.p.send_signal(signal.SIGHUP)      # not a stop: stop() still signals
    time.sleep(0.2)
    c = s.conn()
    recs, out, err, app, proto = get(c)
    check("sighup-keeps-serving", s.p.poll() is None and recs == ONE_ANSWER,
          repr(recs))
    rc, secs = s.stop(signal.SIGINT)
    check("sigint-stops", rc == 0 and secs < 1, "exit %r after %.2f s" % (rc, secs))


def t_children():
    for threads in ("1", "3"):
        s = Server(env={"RSP_THREADS": threads})
        c = s.conn()
        recs, out, err, app, proto = get(c, query="child=1")
        body = out.split(b"\r\n\r\n", 1)[-1].decode()
        sig = dict(line.split(":\t") for line in body.split("\n") if line)
        # glibc's posix_spawn leaves its two internal signals (32 and 33,
        # below SIGRTMIN, never a program's) ignored in every child, from
        # any parent: those bits are not the server's doing.
        glibc = (1 << 31) | (1 << 32)
        check("child-signal-state-threads-" + threads,
              int(sig.get("SigBlk", "1"), 16) == 0 and
              int(sig.get("SigIgn", "1"), 16) & ~glibc == 0, repr(body))
        s.stop()


# ---- addresses -------------------------------------------------------------

def start_fails(spec, env=None):
    e = dict(os.environ, RSP_FCGI_SOCKET=spec)
    e.update(env or {})
    try:
        p = subprocess.run([PROBE], env=e, stdin=subprocess.DEVNULL,
                           capture_output=True, timeout=3)
    except subprocess.TimeoutExpired:
        return None, "still running"
    return p.returncode, p.stderr.decode(errors="replace")


def t_addresses():
    for spec in (":99999", ":-1", ":8080x", ":abc", ":0", ":65536", "8080",
                 "[::1]8080", "[::1", "127.0.0.1:", "a:b:c", ":"):
        rc, err = start_fails(spec)
        check("bad-socket %r" % spec, rc == 1 and "respond:" in err and
              "RSP_FCGI_SOCKET" in err, "exit %r: %r" % (rc, err))
    port = free_port()
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", port))
    blocker.listen(1)
    rc, err = start_fails(":%d" % port)
    check("bind-failure-exit-1", rc == 1 and "cannot listen" in err,
          "exit %r: %r" % (rc, err))
    blocker.close()
    rc, err = start_fails(os.path.join(TMP, "no-such-dir", "x.sock"))
    check("unix-bind-failure-exit-1", rc == 1 and "cannot listen" in err,
          "exit %r: %r" % (rc, err))
    rc, err = start_fails(":%d" % free_port(), {"RSP_READ_TIMEOUT": "5x"})
    check("bad-timeout-exit-1", rc == 1 and "RSP_READ_TIMEOUT" in err,
          "exit %r: %r" % (rc, err))
    for spec in (":%d" % free_port(), "127.0.0.1:%d" % free_port(),
                 "localhost:%d" % free_port()):
        host, port = spec.rsplit(":", 1)
        s = Server(addr=("127.0.0.1", int(port)), env={"RSP_FCGI_SOCKET": spec})
        ok = s.ok and get(s.conn())[0] == ONE_ANSWER
        s.stop()
        check("listen %s" % spec, ok, "no answer")
    if socket.has_ipv6:
        port = free_port()
        try:
            s = Server(addr=("::1", port), env={"RSP_FCGI_SOCKET": "[::1]:%d" % port})
            ok = s.ok and get(s.conn())[0] == ONE_ANSWER
            s.stop()
            check("listen [::1]", ok, "no answer")
        except OSError as e:
            print("SKIP: listen [::1]: %s" % e)
    path = os.path.join(TMP, "mode.sock")
    s = Server(addr=path, env={"RSP_FCGI_SOCKET_MODE": "0600"})
    mode = os.stat(path).st_mode & 0o777 if s.ok else None
    s.stop()
    check("unix-socket-mode", mode == 0o600, "mode %r" % mode)
    # a listening socket handed over on fd 0 (spawn-fcgi), and by systemd
    path = os.path.join(TMP, "fd0.sock")
    ls = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls.bind(path)
    ls.listen(16)
    s = Server(addr=path, stdin=ls.fileno())
    ok = s.ok and get(s.conn())[0] == ONE_ANSWER
    rc, secs = s.stop()
    check("inherited-fd-0", ok and rc == 0, "exit %r" % rc)
    path = os.path.join(TMP, "fd3.sock")
    ls3 = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    ls3.bind(path)
    ls3.listen(16)
    fd = ls3.fileno()

    def to_fd3():
        os.dup2(fd, 3)
    s = Server(addr=path, stdin=subprocess.DEVNULL, pass_fds=(3,),
               env={"LISTEN_FDS": "1"}, preexec=to_fd3,
               argv=["/bin/sh", "-c", 'LISTEN_PID=$$ exec "$0"', PROBE])
    ok = s.ok and get(s.conn())[0] == ONE_ANSWER
    rc, secs = s.stop()
    check("systemd-listen-fds", ok and rc == 0, "exit %r" % rc)
    # FCGI_WEB_SERVER_ADDRS: only the web server may connect
    port = free_port()
    s = Server(addr=("127.0.0.1", port),
               env={"FCGI_WEB_SERVER_ADDRS": "127.0.0.2, ::1"})
    other = socket.socket()
    other.settimeout(3)
    other.connect(("127.0.0.1", port))
    other.sendall(f.request(1, f.env_get()))
    try:
        refused = other.recv(100) == b""
    except ConnectionResetError:
        refused = True
    check("web-server-addrs-refuses", refused, "answered")
    ws = socket.socket()
    ws.settimeout(3)
    ws.bind(("127.0.0.2", 0))
    ws.connect(("127.0.0.1", port))
    c = f.Conn.__new__(f.Conn)
    c.s, c.buf = ws, b""
    recs, out, err, app, proto = get(c)
    check("web-server-addrs-admits", recs == ONE_ANSWER, repr(recs))
    s.stop()
    rc, err = start_fails(":%d" % free_port(), {"FCGI_WEB_SERVER_ADDRS": "nonsense"})
    check("web-server-addrs-invalid", rc == 1 and "FCGI_WEB_SERVER_ADDRS" in err,
          "exit %r: %r" % (rc, err))


# ---- stderr ------------------------------------------------------------------

def rss_kb(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return -1


def shmem_kb(pid):
    with open("/proc/%d/status" % pid) as fh:
        for line in fh:
            if line.startswith("RssShmem:"):
                return int(line.split()[1])
    return 0


def fd2_size(pid):
    try:
        return os.stat("/proc/%d/fd/2" % pid).st_size
    except OSError:
        return -1


def t_stderr():
    for threads in ("1", "2"):
        s = Server(env={"RSP_THREADS": threads})
        c = s.conn()
        before = rss_kb(s.p.pid)
        recs, out, err, app, proto = get(c, query="stderr=%d" % (64 << 20))
        after = rss_kb(s.p.pid)
        check("stderr-64MiB-bounded-threads-" + threads,
              len(err) < 70000 and b"bytes of stderr dropped" in err and
              (SANITIZED or after - before < 4096),
              "forwarded %d, RSS %d -> %d kB" % (len(err), before, after))
        # the stderr goes before the last stdout data record
        recs, out, err, app, proto = get(s.conn(), query="log=hello-log")
        idx_err = [i for i, r in enumerate(recs) if r[0] == "STDERR" and r[2]]
        idx_out = [i for i, r in enumerate(recs) if r[0] == "STDOUT" and r[2]]
        check("stderr-before-last-stdout-threads-" + threads,
              b"probe: hello-log" in err and idx_err and idx_out and
              max(idx_err) < max(idx_out), repr(recs))
        s.stop()
    # lines written after the client went away reach the process's stderr
    s = Server()
    c = s.conn()
    c.send(f.request(1, f.env_get(query="n=6&ms=80&size=10")))
    c.read_record()
    c.close()
    time.sleep(1.0)
    c = s.conn()
    get(c)
    s.stop()
    e = s.stderr()
    check("stderr-after-client-gone", b"probe: write 5" in e or
          (b"probe: write" in e and b"output failed" in e), e[-300:])


def main():
    for t in (t_records, t_management, t_waits, t_limits, t_signals,
              t_children, t_addresses, t_stderr):
        try:
            t()
        except Exception as e:  # a test that raises has failed
            check(t.__name__, False, "%s: %s" % (type(e).__name__, e))
    # a sanitizer build's report in any server's stderr fails the run
    for name in sorted(os.listdir(TMP)):
        if name.endswith(".err"):
            with open(os.path.join(TMP, name), "rb") as fh:
                text = fh.read()
            if b"Sanitizer" in text:
                i = text.index(b"Sanitizer")
                check("sanitizer-report " + name, False, text[max(0, i - 200):i + 600])
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
