"""Real servers on loopback for the test of two app servers: gunicorn instances and Debian's
haproxy in front of them, with deploy/haproxy.cfg as it ships and a certificate made here.

Each process starts in a session of its own, so one instance (its master and its workers at
once) can be killed as a crashed machine would die, and every process is stopped afterwards.
"""

import ipaddress
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests

from tests.conftest import ROOT, free_port

HAPROXY_CONFIG = ROOT / "deploy" / "haproxy.cfg"
GUNICORN = Path(sys.executable).with_name("gunicorn")


def haproxy_binary() -> str | None:
    # Debian puts it in /usr/sbin, which an ordinary user's PATH may lack.
    return shutil.which("haproxy") or shutil.which("haproxy", path="/usr/sbin:/usr/local/sbin")


@dataclass
class AppServer:
    name: str
    address: str
    process: subprocess.Popen
    log: Path


@dataclass
class Balancer:
    base: str  # https://127.0.0.1:port
    plain: str  # http://127.0.0.1:port, redirected to TLS
    certificate: Path  # what clients trust
    process: subprocess.Popen
    log: Path


def self_signed_certificate(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1: haproxy's PEM (certificate, then key) and the certificate
    alone, for clients to trust."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.now(UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    public = certificate.public_bytes(serialization.Encoding.PEM)
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    trusted, for_haproxy = folder / "certificate.pem", folder / "haproxy.pem"
    trusted.write_bytes(public)
    for_haproxy.write_bytes(public + private)
    for_haproxy.chmod(0o600)
    return for_haproxy, trusted


def start_app_server(name: str, environment: dict[str, str], folder: Path) -> AppServer:
    """gunicorn serving the app as production does (README, "Web and worker")."""
    address = f"127.0.0.1:{free_port()}"
    command = [
        str(GUNICORN),
        "workflow:create_app()",
        "--bind",
        address,
        "--workers",
        "2",
        "--threads",
        "4",
        "--worker-class",
        "gthread",
        "--timeout",
        "60",
        "--forwarded-allow-ips",
        "127.0.0.1",
    ]
    log = folder / f"{name}.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return AppServer(name, address, process, log)


def start_balancer(binary: str, servers: list[AppServer], folder: Path) -> Balancer:
    """haproxy with deploy/haproxy.cfg, in front of the two servers."""
    for_haproxy, trusted = self_signed_certificate(folder)
    tls, plain = f"127.0.0.1:{free_port()}", f"127.0.0.1:{free_port()}"
    environment = {
        **os.environ,
        "BALANCER_BIND": tls,
        "BALANCER_HTTP_BIND": plain,
        "BALANCER_CERTIFICATE": str(for_haproxy),
        "APP_SERVER_1": servers[0].address,
        "APP_SERVER_2": servers[1].address,
    }
    log = folder / "haproxy.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [binary, "-db", "-f", str(HAPROXY_CONFIG)],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    return Balancer(f"https://{tls}", f"http://{plain}", trusted, process, log)


def loopback_session() -> requests.Session:
    """A client for loopback only: no proxy, and no CA bundle from the environment (which
    would otherwise win over the certificate the session is told to trust)."""
    session = requests.Session()
    session.trust_env = False
    return session


def wait_until_answering(url: str, process: subprocess.Popen, log: Path, **options) -> None:
    """Until the address answers 200; a process that exits or never answers fails, with its log."""
    deadline = time.monotonic() + 60
    with loopback_session() as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                tail = log.read_text()[-3000:]
                raise RuntimeError(f"{url}: the process exited. Its log:\n{tail}")
            try:
                with client.get(url, timeout=5, **options) as response:
                    if response.status_code == 200:
                        return
            except requests.RequestException:
                pass  # still starting
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within 60 s. The log:\n{log.read_text()[-3000:]}")


def kill(process: subprocess.Popen) -> None:
    """SIGKILL to the process and all its children at once: no shutdown, no goodbyes."""
    os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=30)


def stop(process: subprocess.Popen) -> None:
    """SIGTERM to the process and its children, SIGKILL if they have not gone in 30 s."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    except ProcessLookupError:
        process.wait(timeout=30)
