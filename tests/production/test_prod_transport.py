"""Transport options from a Lua script: httpOptions.timeout and connectTimeout, proxies (option and environment),
maxRedirects, sslEnabled, and TLS peer verification with AWS_CA_BUNDLE."""

import re

import pytest

from prodkit import (FullBacklogListener, SilentServer, client_options, error_reply, json_reply, listen_overflows,
                     self_signed_certificate, unused_port)

CALL = """
local cognitosync = require("cognitosync")
local cs = cognitosync.new{ %s }
local ok, err = pcall(cs.listIdentityPoolUsage, cs, {})
if ok then
  print("OK", err.Count)
else
  print("ERR", err.code, tostring(err.statusCode), tostring(err.retryable), err.retryCount, err.message)
end
"""


def call(lua, endpoint, env=None, **options):
    done = lua.run(CALL % client_options(endpoint, **options), env=env)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if line.startswith(("OK", "ERR")))
    return line.split("\t")


def waited(message):
    """How long curl says the exchange had run when its time limit passed, in ms (its timer can report a millisecond
    or so short of the limit)."""
    found = re.search(r"Operation timed out after (\d+) milliseconds", message)
    assert found, message
    return int(found.group(1))


@pytest.fixture
def silent():
    server = SilentServer()
    yield server
    server.stop()


def test_read_timeout(lua, silent):
    # The server never answers, so only a time limit ends the call: the option's, or the 120 s default.
    result = call(lua, silent.url, maxRetries=0, httpOptions="{ timeout = 300 }")
    assert result[:5] == ["ERR", "TimeoutError", "nil", "true", "0"], result
    assert 270 <= waited(result[5]) < 120000
    result = call(lua, silent.url, maxRetries=2, httpOptions="{ timeout = 200 }", retryDelayOptions="{ base = 1 }")
    assert result[:5] == ["ERR", "TimeoutError", "nil", "true", "2"], result
    assert 180 <= waited(result[5]) < 120000
    assert len(silent.accepted) == 4, "one connection per attempt (the first call's plus three)"


def test_zero_means_no_limit(lua, start_server):
    server = start_server(lambda i, r: json_reply())
    result = call(lua, server.url, httpOptions="{ timeout = 0, connectTimeout = 0 }")
    assert result == ["OK", "0"], result


def test_connect_timeout(lua):
    listener = FullBacklogListener()
    try:
        assert listener.is_full()
        dropped = listen_overflows()
        # No overall limit: only the connect limit can end the call before the kernel gives up on its SYNs.
        result = call(lua, listener.url, maxRetries=0, httpOptions="{ connectTimeout = 300, timeout = 0 }")
        assert result[:5] == ["ERR", "TimeoutError", "nil", "true", "0"], result
        # curl's words for a limit passed while connecting, and how long it had been trying (to within its timer's
        # slack): which of its two messages depends on whether its connect step or its timer notices first.
        waited = re.search(r"(?:Failed to connect to 127\.0\.0\.1 port %d after|Connection timeout after) (\d+) ms"
                           % listener.port, result[5])
        assert waited and int(waited.group(1)) >= 270, result
        # The client's SYN reached the listener and was dropped; no connection was made.
        assert listen_overflows() > dropped
        assert listener.accept_queue()[0] == len(listener.fillers)
    finally:
        listener.stop()


def test_refused_connection_is_a_retryable_networking_error(lua):
    result = call(lua, "http://127.0.0.1:%d" % unused_port(), maxRetries=1, retryDelayOptions="{ base = 1 }")
    assert result[:5] == ["ERR", "NetworkingError", "nil", "true", "1"], result


def test_http_options_are_checked(lua):
    for options, expected in [("httpOptions = { agent = 1 }", "options.httpOptions.agent"),
                              ("httpOptions = { timeout = 'soon' }", "options.httpOptions.timeout"),
                              ("httpOptions = { connectTimeout = -1 }", "options.httpOptions.connectTimeout")]:
        done = lua.run('local ok, err = pcall(require("cognitosync").new, { region = "us-east-1", %s })\n'
                       'print(ok, err.code, err.path)' % options)
        assert done.stdout.startswith("false\t"), done.stdout + done.stderr
        assert expected in done.stdout


# proxies


def test_proxy_option(lua, start_local, proxy):
    local = start_local()
    result = call(lua, local.url, httpOptions='{ proxy = "%s" }' % proxy.url)
    assert result == ["OK", "0"], result
    method, target, headers = proxy.recorded()[0]
    assert (method, target) == ("GET", local.url + "/identitypools")
    assert any(k.lower() == "authorization" for k, _ in headers)


def test_proxy_variables(lua, start_local, proxy):
    local = start_local()
    for variable in ["HTTP_PROXY", "http_proxy", "ALL_PROXY"]:
        before = len(proxy.recorded())
        result = call(lua, local.url, env={variable: proxy.url})
        assert result == ["OK", "0"], (variable, result)
        assert len(proxy.recorded()) == before + 1, variable
        assert proxy.recorded()[-1][1] == local.url + "/identitypools"


def test_no_proxy_bypasses_a_proxy_from_the_environment_but_not_an_explicit_one(lua, start_local, proxy):
    local = start_local()
    for no_proxy in ["127.0.0.1", "localhost,127.0.0.1", "*"]:
        result = call(lua, local.url, env={"HTTP_PROXY": proxy.url, "NO_PROXY": no_proxy})
        assert result == ["OK", "0"], result
    assert proxy.recorded() == []
    result = call(lua, local.url, env={"NO_PROXY": "127.0.0.1"}, httpOptions='{ proxy = "%s" }' % proxy.url)
    assert result == ["OK", "0"]
    assert len(proxy.recorded()) == 1


def test_https_proxy_tunnels_to_a_tls_endpoint(lua, tmp_path, start_server, proxy):
    cert, key = self_signed_certificate(tmp_path)
    server = start_server(lambda i, r: json_reply(), tls=(cert, key))
    result = call(lua, server.url, env={"HTTPS_PROXY": proxy.url, "HTTP_PROXY": "http://127.0.0.1:9",
                                           "AWS_CA_BUNDLE": cert})
    assert result == ["OK", "0"], result
    assert [(m, t) for m, t, _ in proxy.recorded()] == [("CONNECT", "127.0.0.1:%d" % server.port)]
    assert len(server.received()) == 1


def test_an_unreachable_proxy_is_a_networking_error(lua, start_local):
    local = start_local()
    result = call(lua, local.url, maxRetries=0, httpOptions='{ proxy = "http://127.0.0.1:%d" }' % unused_port())
    assert result[:4] == ["ERR", "NetworkingError", "nil", "true"], result


# redirects


def hops(count):
    def reply(index, request):
        if index < count:
            return 307, [("Location", "/hop/%d" % (index + 1))], ""
        return json_reply()
    return reply


def test_max_redirects(lua, start_server):
    server = start_server(hops(3))
    result = call(lua, server.url, maxRedirects=3)
    assert result == ["OK", "0"], result
    assert [r.path for r in server.received()] == ["/identitypools", "/hop/1", "/hop/2", "/hop/3"]

    server = start_server(hops(3))
    result = call(lua, server.url, maxRedirects=2)
    assert result[:5] == ["ERR", "NetworkingError", "nil", "false", "0"], result
    assert "redirect" in result[5].lower()
    assert len(server.received()) == 3

    server = start_server(hops(3))
    result = call(lua, server.url, maxRedirects=0)
    assert result[:5] == ["ERR", "Http307", "307", "false", "0"], result
    assert len(server.received()) == 1


def test_default_follows_up_to_ten_redirects(lua, start_server):
    server = start_server(hops(10))
    assert call(lua, server.url) == ["OK", "0"]
    server = start_server(hops(11))
    result = call(lua, server.url)
    assert result[:2] == ["ERR", "NetworkingError"]


# sslEnabled and TLS


def test_ssl_enabled_picks_the_scheme_of_an_endpoint_without_one(lua, start_local):
    local = start_local()
    hostport = local.url[len("http://"):]
    result = call(lua, hostport, sslEnabled="false")
    assert result == ["OK", "0"], result
    result = call(lua, hostport, maxRetries=0)
    assert result[:4] == ["ERR", "NetworkingError", "nil", "true"], "https to a plain HTTP port: %s" % result
    # A scheme in the endpoint wins.
    assert call(lua, local.url, sslEnabled="true") == ["OK", "0"]


def test_self_signed_certificate_is_refused_by_default(lua, tmp_path, start_server):
    cert, key = self_signed_certificate(tmp_path)
    server = start_server(lambda i, r: json_reply(), tls=(cert, key))
    result = call(lua, server.url)
    assert result[:5] == ["ERR", "NetworkingError", "nil", "false", "0"], result
    assert "certificate verification failed for https://127.0.0.1:%d" % server.port in result[5]
    assert "AWS_CA_BUNDLE" in result[5]
    assert server.received() == [], "nothing was sent over the unverified connection"


def test_aws_ca_bundle_makes_the_certificate_trusted(lua, tmp_path, start_server):
    cert, key = self_signed_certificate(tmp_path)
    other, _ = self_signed_certificate(tmp_path, "other")
    server = start_server(lambda i, r: json_reply(), tls=(cert, key))
    result = call(lua, server.url, env={"AWS_CA_BUNDLE": cert})
    assert result == ["OK", "0"], result
    assert len(server.received()) == 1
    result = call(lua, server.url, env={"AWS_CA_BUNDLE": other})
    assert result[:4] == ["ERR", "NetworkingError", "nil", "false"], result
    assert "certificate verification failed" in result[5]


def test_service_errors_over_tls_keep_their_codes(lua, tmp_path, start_server):
    cert, key = self_signed_certificate(tmp_path)
    server = start_server(lambda i, r: error_reply(409, "ResourceConflictException"), tls=(cert, key))
    result = call(lua, server.url, env={"AWS_CA_BUNDLE": cert})
    assert result[:5] == ["ERR", "ResourceConflictException", "409", "false", "0"], result


def test_profile_ca_bundle_makes_the_certificate_trusted(lua, tmp_path, start_server):
    cert, key = self_signed_certificate(tmp_path)
    server = start_server(lambda i, r: json_reply(), tls=(cert, key))
    config = tmp_path / "config"
    config.write_text("[default]\nca_bundle = %s\n" % cert)
    result = call(lua, server.url, env={"AWS_CONFIG_FILE": str(config)})
    assert result == ["OK", "0"], result
    assert len(server.received()) == 1
