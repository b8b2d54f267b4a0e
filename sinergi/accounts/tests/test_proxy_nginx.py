"""Behind the documented nginx, two clients are two addresses (issue 15, item 2).

A real nginx on loopback, configured as docs/deployment.md's `location /` block, in front of the
app (pytest-django's live server). Two clients connect from 127.0.0.2 and 127.0.0.3; each fails
a login, and the audit trail must name each one's own address, not nginx's 127.0.0.1, even when
the client sends a forged X-Forwarded-For. Without nginx installed the test is skipped (CI
installs it: .ci/run's install_system_packages).
"""

import http.client
import re
import shutil
import socket
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings

from sinergi.audit.models import AuditEvent
from sinergi.core.net import parse_networks

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
DOCS = Path(settings.BASE_DIR) / "docs" / "deployment.md"
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx)")


def documented_location_block():
    """The `location / { ... }` block of docs/deployment.md's nginx configuration, verbatim."""
    text = DOCS.read_text()
    match = re.search(r"\n    location / \{\n(.*?)\n    \}\n", text, re.S)
    assert match, "docs/deployment.md has no `location / { ... }` block"
    return match.group(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def nginx(live_server, tmp_path):
    upstream = urlsplit(live_server.url)
    location = documented_location_block().replace(
        "http://127.0.0.1:8000", f"http://127.0.0.1:{upstream.port}"
    )
    port = free_port()
    (tmp_path / "logs").mkdir()
    (tmp_path / "nginx.conf").write_text(
        f"""
worker_processes 1;
pid {tmp_path}/nginx.pid;
error_log {tmp_path}/logs/error.log;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {tmp_path}/body;
    proxy_temp_path {tmp_path}/proxy;
    fastcgi_temp_path {tmp_path}/fastcgi;
    uwsgi_temp_path {tmp_path}/uwsgi;
    scgi_temp_path {tmp_path}/scgi;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location / {{
{location}
        }}
    }}
}}
"""
    )
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"nginx did not start: {process.stderr.read().decode()}")
                time.sleep(0.05)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)


def request(port, source, method, path, body=None, headers=None):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=20, source_address=(source, 0))
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    data = response.read()
    cookies = [v.split(";", 1)[0] for k, v in response.getheaders() if k.lower() == "set-cookie"]
    connection.close()
    return response.status, data.decode(errors="replace"), cookies


def fail_a_login(port, source, forged=None):
    status, html, cookies = request(port, source, "GET", "/akun/login/", headers={"Host": "localhost"})
    assert status == 200, html[:300]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
    headers = {
        "Host": "localhost",
        "Cookie": "; ".join(cookies),
        "Content-Type": "application/x-www-form-urlencoded",
        "Referer": "http://localhost/akun/login/",
        "User-Agent": f"klien-{source}",
    }
    if forged:
        headers["X-Forwarded-For"] = forged
    body = f"csrfmiddlewaretoken={token}&login=kepala&password=salah-sandi-{source}"
    status, html, _ = request(port, source, "POST", "/akun/login/", body=body, headers=headers)
    assert status in (200, 400), html[:300]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_clients_behind_nginx_are_two_addresses(personas, nginx, settings):
    settings.SINERGI_TRUSTED_PROXIES = parse_networks(["127.0.0.1"])
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    fail_a_login(nginx, "127.0.0.2")
    fail_a_login(nginx, "127.0.0.3", forged="203.0.113.9")
    events = AuditEvent.objects.filter(action="auth.login_failed").order_by("id")
    assert [(e.user_agent, e.ip) for e in events] == [
        ("klien-127.0.0.2", "127.0.0.2"),
        ("klien-127.0.0.3", "127.0.0.3"),  # the forged header is not believed
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_without_trusted_proxies_the_peer_is_the_client(personas, nginx, settings):
    settings.SINERGI_TRUSTED_PROXIES = ()
    settings.ALLOWED_HOSTS = ["localhost", "127.0.0.1"]
    fail_a_login(nginx, "127.0.0.2", forged="203.0.113.9")
    assert AuditEvent.objects.get(action="auth.login_failed").ip == "127.0.0.1"
