"""Sending a delivery over HTTP without letting an endpoint reach inside the network (SSRF).

The endpoint's host name is resolved at send time and every address is checked: loopback,
private, link-local (cloud metadata at 169.254.169.254), shared, reserved and multicast
addresses are refused unless WEBHOOKS_ALLOW_PRIVATE_ADDRESSES is on. The request then goes to
the checked address itself (the TLS certificate is still verified for the host name), so a
DNS answer that changes between the check and the connection cannot redirect it. Redirects
are not followed.
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import urllib3
from django.conf import settings

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 10.0
MAX_POOLS = 100
USER_AGENT = "Alexis-Webhooks/1"


class RefusedAddress(Exception):
    """The endpoint's host resolves to an address that deliveries may not go to."""


@dataclass(frozen=True)
class SendResult:
    status: int | None
    error: str
    duration_ms: int

    @property
    def succeeded(self) -> bool:
        return self.status is not None and 200 <= self.status < 300


def address_allowed(address: str) -> bool:
    """Return whether a delivery may go to this IP address."""
    if settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES:
        return True
    ip = ipaddress.ip_address(address.split("%")[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve(host: str, port: int) -> str:
    """Return the first address of `host`, refusing the host if any address is not allowed."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise RefusedAddress(f"The host name {host} could not be resolved.") from exc
    addresses = [info[4][0] for info in infos]
    refused = [address for address in addresses if not address_allowed(address)]
    if refused or not addresses:
        raise RefusedAddress(
            f"{host} resolves to a private or reserved address ({refused[0] if refused else '-'}); "
            "deliveries go to public addresses only."
        )
    return addresses[0]


_pools: dict[tuple, urllib3.HTTPConnectionPool] = {}
_pools_lock = threading.Lock()


def _pool(scheme: str, address: str, port: int, host: str) -> urllib3.HTTPConnectionPool:
    key = (scheme, address, port, host)
    with _pools_lock:
        pool = _pools.get(key)
        if pool is None:
            if len(_pools) >= MAX_POOLS:
                for old in _pools.values():
                    old.close()
                _pools.clear()
            timeout = urllib3.Timeout(connect=CONNECT_TIMEOUT, read=READ_TIMEOUT)
            if scheme == "https":
                pool = urllib3.HTTPSConnectionPool(
                    address,
                    port,
                    timeout=timeout,
                    retries=False,
                    server_hostname=host,
                    assert_hostname=host,
                    cert_reqs="CERT_REQUIRED",
                )
            else:
                pool = urllib3.HTTPConnectionPool(address, port, timeout=timeout, retries=False)
            _pools[key] = pool
    return pool


def post(url: str, *, body: bytes, headers: dict[str, str]) -> SendResult:
    """POST `body` to `url` from a checked address; never raises for network trouble."""
    started = time.perf_counter()

    def result(status: int | None, error: str = "") -> SendResult:
        return SendResult(status, error[:300], round((time.perf_counter() - started) * 1000))

    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    host = parts.hostname or ""
    try:
        port = parts.port or (443 if scheme == "https" else 80)
    except ValueError:
        return result(None, "The URL has an invalid port.")
    if scheme != "https" and not (scheme == "http" and settings.WEBHOOKS_ALLOW_HTTP):
        return result(None, "Deliveries go to https:// URLs only.")
    try:
        address = resolve(host, port)
    except RefusedAddress as exc:
        return result(None, str(exc))
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    default_port = 443 if scheme == "https" else 80
    all_headers = {
        "Host": host if port == default_port else f"{host}:{port}",
        "User-Agent": USER_AGENT,
        "Content-Type": "application/json",
        **headers,
    }
    try:
        response = _pool(scheme, address, port, host).urlopen(
            "POST",
            path,
            body=body,
            headers=all_headers,
            redirect=False,
            assert_same_host=False,
            preload_content=False,
        )
        try:
            # Read a little of the answer; keep the connection only if that was all of it.
            response.read(64 * 1024)
            if response.read(1):
                response.close()
        finally:
            response.release_conn()
    except urllib3.exceptions.NewConnectionError:
        return result(None, "Could not connect: the connection was refused.")
    except urllib3.exceptions.TimeoutError:
        return result(None, "The endpoint did not answer in time.")
    except urllib3.exceptions.SSLError:
        return result(None, "The endpoint's TLS certificate could not be verified.")
    except (urllib3.exceptions.HTTPError, OSError) as exc:
        return result(None, f"Could not connect: {type(exc).__name__}.")
    return result(
        response.status, "" if 200 <= response.status < 300 else f"HTTP {response.status}"
    )
