"""wss:// end to end: a TLS handshake that works, and certificate problems named.

setUpClass makes a throw-away PKI with the `openssl` CLI (no network): a test
CA, a valid server certificate for localhost / 127.0.0.1, an expired one
(2020-01-01 .. 2020-01-02, via `openssl ca`, since OpenSSL 3.0's `x509` has no
explicit validity dates), a self-signed one, and one issued only for
DNS:other.test. Each test starts tests/peers/tls_server.py with one of them.

Every certificate case runs twice: `WithPreflight` (the default run, where the
probe must catch the problem first: first line `tls_failed:`, exit 3, nothing
run) and `NoPreflight` (the lws engine itself must classify the failed connect
step as tls_failed, exit 3).
"""
import os
import re
import shutil
import socket
import subprocess
import tempfile
import unittest

from e2e_util import ScenarioTest, run_bounded
from harness import PEERS, PYTHON, Peer

STEP_MS = 2000
BUDGET_S = STEP_MS / 1000.0
MARGIN_S = 1.5
NAME = "tls echo"
CRASH_SIGNS = ("Traceback", "terminate called", "Segmentation fault", "Aborted", "AddressSanitizer",
               "core dumped")

# Phrases each certificate problem must be named with (OpenSSL's wording, or plain words).
UNKNOWN_ISSUER = r"(?i)unable to get local issuer certificate|unknown (issuer|CA)|unable to get issuer certificate"
EXPIRED = r"(?i)expired"
SELF_SIGNED = r"(?i)self[- ]signed"
IP_MISMATCH = r"(?i)(IP address|host ?name|name) mismatch|does not match"
HOST_MISMATCH = r"(?i)host ?name mismatch|name mismatch|does not match"

OPENSSL_CNF = """\
[req]
distinguished_name = dn
prompt = no
[dn]
CN = unused

[ca_ext]
basicConstraints = critical,CA:TRUE
keyUsage = critical,keyCertSign,cRLSign
subjectKeyIdentifier = hash

[leaf_valid]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost,IP:127.0.0.1

[leaf_wrong]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = DNS:other.test

[leaf_self]
basicConstraints = CA:FALSE
keyUsage = critical,digitalSignature
extendedKeyUsage = serverAuth
subjectAltName = IP:127.0.0.1

# `openssl ca`, only for the expired certificate (explicit start/end dates).
[ca]
default_ca = test_ca
[test_ca]
dir = cadb
database = $dir/index.txt
new_certs_dir = $dir
serial = $dir/serial
default_md = sha256
policy = policy_any
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
"""

EC_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]

_pki = None  # the class-wide PKI (one per process), made on first use


class PKI:
    """Files made by `openssl` in a temp dir: ca.pem, and CERT.pem + CERT.key for each server cert."""

    def __init__(self):
        self._tmp = tempfile.TemporaryDirectory(prefix="wscheck-tls-")
        self.dir = self._tmp.name
        with open(self.path("openssl.cnf"), "w") as f:
            f.write(OPENSSL_CNF)
        os.mkdir(self.path("cadb"))
        open(self.path("cadb", "index.txt"), "w").close()
        with open(self.path("cadb", "serial"), "w") as f:
            f.write("1000\n")

        cnf = ["-config", "openssl.cnf"]
        self.openssl("req", "-x509", *EC_KEY, "-keyout", "ca.key", "-out", "ca.pem", "-days", "3650",
                     "-subj", "/CN=wscheck test CA", *cnf, "-extensions", "ca_ext")
        self.signed("valid", "/CN=localhost", "leaf_valid", serial=2)
        self.signed("wrong", "/CN=other.test", "leaf_wrong", serial=3)
        self.openssl("req", "-x509", *EC_KEY, "-keyout", "self.key", "-out", "self.pem", "-days", "30",
                     "-subj", "/CN=127.0.0.1", *cnf, "-extensions", "leaf_self")
        self.openssl("req", "-new", *EC_KEY, "-keyout", "expired.key", "-out", "expired.csr",
                     "-subj", "/CN=localhost", *cnf)
        self.openssl("ca", "-batch", *cnf, "-cert", "ca.pem", "-keyfile", "ca.key", "-in", "expired.csr",
                     "-out", "expired.pem", "-notext", "-startdate", "20200101000000Z",
                     "-enddate", "20200102000000Z", "-extfile", "openssl.cnf", "-extensions", "leaf_valid")

        # Sanity: the PKI is what the tests think it is (else a failure would blame wscheck).
        self.verify("valid.pem", None)
        self.verify("wrong.pem", None)
        self.verify("expired.pem", "certificate has expired")
        self.verify("self.pem", "self-signed certificate")

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def openssl(self, *args):
        proc = subprocess.run(["openssl", *args], cwd=self.dir, capture_output=True, text=True, timeout=30)
        if proc.returncode != 0:
            raise RuntimeError(f"openssl {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
        return proc.stdout

    def signed(self, name, subject, extensions, serial):
        self.openssl("req", "-new", *EC_KEY, "-keyout", f"{name}.key", "-out", f"{name}.csr",
                     "-subj", subject, "-config", "openssl.cnf")
        self.openssl("x509", "-req", "-in", f"{name}.csr", "-CA", "ca.pem", "-CAkey", "ca.key",
                     "-set_serial", str(serial), "-days", "30", "-extfile", "openssl.cnf",
                     "-extensions", extensions, "-out", f"{name}.pem")

    def verify(self, cert, expect_error):
        proc = subprocess.run(["openssl", "verify", "-CAfile", "ca.pem", cert], cwd=self.dir,
                              capture_output=True, text=True, timeout=30)
        text = proc.stdout + proc.stderr
        if expect_error is None and proc.returncode != 0:
            raise RuntimeError(f"test PKI: {cert} should verify against ca.pem:\n{text}")
        if expect_error is not None and expect_error not in text:
            raise RuntimeError(f"test PKI: {cert} should fail with {expect_error!r}:\n{text}")

    def cleanup(self):
        self._tmp.cleanup()


def tearDownModule():
    global _pki
    if _pki is not None:
        _pki.cleanup()
        _pki = None


def tls_server(pki, cert):
    return Peer([PYTHON, os.path.join(PEERS, "tls_server.py"),
                 "--cert", pki.path(f"{cert}.pem"), "--key", pki.path(f"{cert}.key")])


def localhost_is_ipv4():
    """The host-name cases dial localhost; the peer listens on 127.0.0.1 only."""
    try:
        infos = socket.getaddrinfo("localhost", 443, type=socket.SOCK_STREAM)
    except OSError:
        return False
    return bool(infos) and infos[0][4][0] == "127.0.0.1"


def wss(server, host="127.0.0.1", path=""):
    return f"wss://{host}:{server.port}{path}"


class TLSTest(ScenarioTest):
    @classmethod
    def setUpClass(cls):
        global _pki
        if shutil.which("openssl") is None:
            raise unittest.SkipTest("the openssl command is not installed")
        if _pki is None:
            _pki = PKI()
        cls.pki = _pki

    @property
    def ca(self):
        return self.pki.path("ca.pem")

    def steps(self, tls=None):
        """connect /ws, the greeting, an echo round-trip, a clean close."""
        connect = {"url": "/ws"}
        if tls is not None:
            connect["tls"] = tls
        return [{"connect": connect},
                {"expect": {"json": {"type": "connection_established", "user_id": "tls"}}},
                {"send": {"json": {"type": "echo", "payload": "over tls"}}},
                {"expect": {"json": {"type": "echo_response", "payload": "over tls"}}},
                {"close": {"code": 1000}}]

    def assertNoCrash(self, r):
        for sign in CRASH_SIGNS:
            self.assertNotIn(sign, r.out, msg=repr(r))
            self.assertNotIn(sign, r.err, msg=repr(r))


class Cases:
    """The certificate cases; a subclass sets PREFLIGHT (True: default run, False: --no-preflight)."""

    PREFLIGHT = True

    def run_tls(self, cert, *flags, host="127.0.0.1", tls=None):
        if host == "localhost" and not localhost_is_ipv4():
            self.skipTest("localhost does not resolve to 127.0.0.1 first here")
        path, fname = self.write(NAME, self.steps(tls))
        with tls_server(self.pki, cert) as server:
            args = ["run", "--url", wss(server, host), "--step-timeout", str(STEP_MS), *flags]
            if not self.PREFLIGHT:
                args.append("--no-preflight")
            r = run_bounded(self, *args, path, timeout=20)
        self.assertNoCrash(r)
        return r, fname

    def assertPassed(self, r):
        self.assertEqual(r.rc, 0, msg=repr(r))
        self.assertIn("1 passed, 0 failed", r.out, msg=repr(r))
        line = next((l for l in r.out.splitlines() if l.startswith(f"✓ {NAME}  ")), None)
        self.assertIsNotNone(line, msg=f"no '✓ {NAME}' line\n{r!r}")
        return line

    def assertTlsFailed(self, r, fname, pattern, hint=("--ca-file", "--insecure")):
        """exit 3, class tls_failed on the first line of the diagnosis, the problem named there."""
        self.assertEqual(r.rc, 3, msg=repr(r))
        if self.PREFLIGHT:
            head = r.out.splitlines()[0] if r.out else ""
            self.assertTrue(head.startswith("tls_failed:"),
                            msg=f"the preflight's first line should name tls_failed: {head!r}\n{r!r}")
            self.assertNotIn("passed", r.out, msg=f"no scenario should have run\n{r!r}")
            self.assertRegex(r.out, r"(?m)^\s*FAIL\s+tls\b", msg=repr(r))
        else:
            head = self.assertFailure(r, NAME, "tls_failed", step=1, fname=fname, rc=3)
        self.assertRegex(head, pattern, msg=f"the first line should name the certificate problem\n{r!r}")
        hint_lines = [l.strip() for l in r.out.splitlines() if l.strip().startswith("hint:")]
        self.assertTrue(hint_lines, msg=f"no hint line\n{r!r}")
        for word in hint:
            self.assertTrue(any(word in l for l in hint_lines), msg=f"the hint should mention {word}\n{r!r}")
        self.assertLess(r.elapsed, BUDGET_S + MARGIN_S, msg=f"a certificate problem must be named at once\n{r!r}")
        return head

    # -- the handshake works

    def test_valid_cert_with_ca_file(self):
        r, _ = self.run_tls("valid", "--ca-file", self.ca)
        line = self.assertPassed(r)
        # The ✓ line's phase waterfall includes the TLS handshake time.
        self.assertRegex(line, r"\[[^\]]*\btls \d+(\.\d+)? (ms|us|µs|s)\b[^\]]*\]",
                         msg=f"the phases should include tls: {line!r}\n{r!r}")
        self.assertRegex(line, r"\[[^\]]*\bupgrade \d", msg=repr(r))

    def test_valid_cert_by_host_name(self):
        # wss://localhost: the Host header, SNI and the name check all use "localhost".
        r, _ = self.run_tls("valid", "--ca-file", self.ca, host="localhost")
        self.assertPassed(r)

    def test_unknown_issuer_with_insecure(self):
        r, _ = self.run_tls("valid", "--insecure")
        self.assertPassed(r)

    def test_insecure_accepts_any_bad_certificate(self):
        for cert in ("expired", "self", "wrong"):
            with self.subTest(cert=cert):
                r, _ = self.run_tls(cert, "--insecure")
                self.assertPassed(r)

    def test_per_connection_ca_file(self):
        # No global --ca-file: the connect step's own "tls": {"ca_file"} trusts the CA.
        r, _ = self.run_tls("valid", tls={"ca_file": self.ca})
        self.assertPassed(r)

    def test_per_connection_insecure(self):
        r, _ = self.run_tls("self", tls={"insecure": True})
        self.assertPassed(r)

    # -- certificate problems, named

    def test_unknown_issuer_without_ca_file(self):
        r, fname = self.run_tls("valid")
        self.assertTlsFailed(r, fname, UNKNOWN_ISSUER)

    def test_expired(self):
        r, fname = self.run_tls("expired", "--ca-file", self.ca)
        self.assertTlsFailed(r, fname, EXPIRED, hint=())

    def test_self_signed(self):
        r, fname = self.run_tls("self")
        self.assertTlsFailed(r, fname, SELF_SIGNED)

    def test_self_signed_even_with_ca_file(self):
        r, fname = self.run_tls("self", "--ca-file", self.ca)
        self.assertTlsFailed(r, fname, SELF_SIGNED, hint=())

    def test_wrong_ip(self):
        # Issued for DNS:other.test only; dialled as 127.0.0.1.
        r, fname = self.run_tls("wrong", "--ca-file", self.ca)
        self.assertTlsFailed(r, fname, IP_MISMATCH, hint=())

    def test_wrong_host_name(self):
        # Issued for DNS:other.test only; dialled as localhost.
        r, fname = self.run_tls("wrong", "--ca-file", self.ca, host="localhost")
        self.assertTlsFailed(r, fname, HOST_MISMATCH, hint=())

    def test_missing_ca_file_is_named(self):
        missing = os.path.join(self.dir.path, "no-such-ca.pem")
        r, _ = self.run_tls("valid", "--ca-file", missing)
        self.assertIn(r.rc, (2, 3), msg=f"a missing CA file is a usage/environment error\n{r!r}")
        self.assertIn("no-such-ca.pem", r.out + r.err, msg=repr(r))


class WithPreflight(Cases, TLSTest):
    PREFLIGHT = True


class NoPreflight(Cases, TLSTest):
    PREFLIGHT = False


class Doctor(TLSTest):
    """`wscheck doctor` (run from the project root: it validates scenarios/) shows the TLS details."""

    def doctor(self, server, *flags):
        r = run_bounded(self, "doctor", "--url", wss(server), "--timeout", str(STEP_MS), *flags, timeout=20)
        self.assertNoCrash(r)
        return r

    def tls_line(self, r):
        line = next((l for l in r.out.splitlines() if re.match(r"\s*(ok|warn|FAIL)\s+tls\b", l)), None)
        self.assertIsNotNone(line, msg=f"no tls line\n{r!r}")
        return line

    def test_doctor_with_ca_file(self):
        with tls_server(self.pki, "valid") as server:
            r = self.doctor(server, "--ca-file", self.ca)
        self.assertEqual(r.rc, 0, msg=repr(r))
        line = self.tls_line(r)
        self.assertRegex(line, r"^\s*ok\s+tls\b", msg=repr(r))
        self.assertIn("TLSv1.3", line, msg=repr(r))
        self.assertRegex(line, r"subject\W+(/)?CN\s*=\s*localhost", msg=repr(r))
        self.assertRegex(line, r"issuer\W+(/)?CN\s*=\s*wscheck test CA", msg=repr(r))
        m = re.search(r"expires in (\d+) days", line)
        self.assertIsNotNone(m, msg=repr(r))
        self.assertIn(int(m.group(1)), (29, 30), msg=f"the certificate is valid for 30 days\n{r!r}")
        self.assertRegex(r.out, r"(?m)^\s*ok\s+upgrade\b.*101", msg=repr(r))

    def test_doctor_without_ca_file(self):
        with tls_server(self.pki, "valid") as server:
            r = self.doctor(server)
        self.assertEqual(r.rc, 3, msg=repr(r))
        self.assertIn("tls_failed:", r.out, msg=repr(r))
        line = self.tls_line(r)
        self.assertRegex(line, r"^\s*FAIL\s+tls\b", msg=repr(r))
        self.assertRegex(line, UNKNOWN_ISSUER, msg=repr(r))
        self.assertRegex(r.out, r"(?m)^\s*hint:.*--ca-file", msg=repr(r))

    def test_doctor_expired(self):
        with tls_server(self.pki, "expired") as server:
            r = self.doctor(server, "--ca-file", self.ca)
        self.assertEqual(r.rc, 3, msg=repr(r))
        self.assertIn("tls_failed:", r.out, msg=repr(r))
        self.assertRegex(self.tls_line(r), r"^\s*FAIL\s+tls\b.*expired", msg=repr(r))


class Wait(TLSTest):
    """`wscheck wait --url wss://...` is ready only when the handshake verifies."""

    def test_wait_with_ca_file(self):
        with tls_server(self.pki, "valid") as server:
            r = run_bounded(self, "wait", "--url", wss(server, path="/ws"), "--ca-file", self.ca,
                            "--timeout", str(STEP_MS), timeout=20)
        self.assertNoCrash(r)
        self.assertEqual(r.rc, 0, msg=repr(r))

    def test_wait_without_ca_file_names_the_certificate_problem(self):
        # Every attempt fails the same way (unknown issuer), so the diagnosis
        # printed at the deadline must name it, whichever attempt the
        # deadline cut short. Repeated because where the deadline falls varies.
        # The deadline leaves room for at least one whole handshake on a loaded
        # machine under the sanitizers (one took over 300 ms there).
        with tls_server(self.pki, "valid") as server:
            for attempt in range(5):
                r = run_bounded(self, "wait", "--url", wss(server, path="/ws"), "--timeout", "1500",
                                "--interval", "50", timeout=20)
                self.assertNoCrash(r)
                self.assertEqual(r.rc, 3, msg=repr(r))
                self.assertIn("tls_failed:", r.out + r.err, msg=f"run {attempt + 1}\n{r!r}")
                self.assertRegex(r.out + r.err, UNKNOWN_ISSUER, msg=f"run {attempt + 1}\n{r!r}")

if __name__ == "__main__":
    unittest.main()
