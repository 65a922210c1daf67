"""fcgiclient.py - a raw FastCGI peer for the tests: it builds records byte
by byte and reads back every record the application sends, so a test can
count them and do what web servers may legally do (keep the connection,
abort, send management records, close early, send nothing)."""
import socket
import struct
import time

BEGIN, ABORT, END, PARAMS, STDIN, STDOUT, STDERR, DATA, GET_VALUES, \
    GET_VALUES_RESULT, UNKNOWN_TYPE = range(1, 12)
NAMES = {1: "BEGIN", 2: "ABORT", 3: "END", 4: "PARAMS", 5: "STDIN",
         6: "STDOUT", 7: "STDERR", 8: "DATA", 9: "GET_VALUES",
         10: "GET_VALUES_RESULT", 11: "UNKNOWN_TYPE"}


def record(rtype, rid, content=b"", padding=0):
    return struct.pack(">BBHHBx", 1, rtype, rid, len(content), padding) + \
        content + b"\0" * padding


def pair_len(n):
    return bytes([n]) if n < 128 else struct.pack(">I", n | 0x80000000)


def pairs(env):
    out = b""
    for k, v in env.items():
        k = k.encode() if isinstance(k, str) else k
        v = v.encode() if isinstance(v, str) else v
        out += pair_len(len(k)) + pair_len(len(v)) + k + v
    return out


def begin(rid, keep=False, role=1):
    return record(BEGIN, rid, struct.pack(">HB5x", role, 1 if keep else 0))


def request(rid, env, body=b"", keep=False):
    """A whole request as a web server sends it."""
    out = begin(rid, keep)
    p = pairs(env)
    for i in range(0, len(p), 65535):
        out += record(PARAMS, rid, p[i:i + 65535])
    out += record(PARAMS, rid)
    for i in range(0, len(body), 65535):
        out += record(STDIN, rid, body[i:i + 65535])
    out += record(STDIN, rid)
    return out


def env_get(path="/", query="", method="GET", **extra):
    e = {"REQUEST_METHOD": method, "SCRIPT_NAME": "/app", "PATH_INFO": path,
         "QUERY_STRING": query, "SERVER_PROTOCOL": "HTTP/1.1",
         "SERVER_NAME": "localhost", "SERVER_PORT": "80",
         "GATEWAY_INTERFACE": "CGI/1.1", "REMOTE_ADDR": "127.0.0.1",
         "REQUEST_URI": path + ("?" + query if query else "")}
    e.update(extra)
    return e


class Conn:
    def __init__(self, addr, timeout=5.0):
        if isinstance(addr, tuple):
            self.s = socket.create_connection(addr, timeout=timeout)
        else:
            self.s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            self.s.settimeout(timeout)
            self.s.connect(addr)
        self.buf = b""

    def send(self, data):
        self.s.sendall(data)

    def _fill(self):
        d = self.s.recv(65536)
        if not d:
            raise EOFError("connection closed")
        self.buf += d

    def read_record(self):
        """(type, id, content) of the next record; EOFError at close."""
        while len(self.buf) < 8:
            self._fill()
        ver, rtype, rid, clen, plen = struct.unpack(">BBHHBx", self.buf[:8])
        if ver != 1:
            raise ValueError("bad version %d" % ver)
        while len(self.buf) < 8 + clen + plen:
            self._fill()
        content = self.buf[8:8 + clen]
        self.buf = self.buf[8 + clen + plen:]
        return rtype, rid, content

    def read_response(self, rid):
        """Records up to and including END_REQUEST for rid: (records,
        stdout bytes, stderr bytes, app status, protocol status)."""
        recs, out, err = [], b"", b""
        while True:
            rtype, r, content = self.read_record()
            recs.append((NAMES.get(rtype, rtype), r, len(content)))
            if rtype == STDOUT and r == rid:
                out += content
            elif rtype == STDERR and r == rid:
                err += content
            elif rtype == END and r == rid:
                app, proto = struct.unpack(">IB3x", content)
                return recs, out, err, app, proto

    def closed_within(self, seconds):
        """True when the peer closes (EOF) with no more records within
        `seconds`; False on time-out or when more bytes come."""
        self.s.settimeout(seconds)
        try:
            d = self.s.recv(65536)
        except socket.timeout:
            return False
        except ConnectionResetError:
            return True
        self.buf += d
        return d == b""

    def close(self):
        self.s.close()


def wait_listening(addr, seconds=5.0):
    end = time.time() + seconds
    while time.time() < end:
        try:
            Conn(addr, 1).close()
            return True
        except OSError:
            time.sleep(0.02)
    return False
