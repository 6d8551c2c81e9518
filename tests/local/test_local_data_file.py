"""One process per data file, only files cogsync-local wrote, and write failures reported on standard error."""

import resource
import sqlite3
import subprocess

import pytest
from botocore.exceptions import ClientError

from localsync import error_of, put
from testkit import binary


def start_failure(*args):
    result = subprocess.run([str(binary("cogsync-local")), "--port", "0", *args], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 1
    assert result.stdout == ""
    return result.stderr


def test_a_second_process_on_a_data_file_refuses_to_start(start_endpoint, tmp_path, ids):
    data = str(tmp_path / "state.db")
    first = start_endpoint("--data", data)
    message = start_failure("--data", data)
    assert message == (
        "cogsync-local: cannot start: the data file %s is in use by process %d (a cogsync-local or cogsync-lua "
        "--local-data); only one process may use a data file at a time\n" % (data, first.process.pid)
    )
    put(first.client(), *ids, "d", {"k": "v"})
    assert first.stop() == 0
    second = start_endpoint("--data", data)
    assert second.client().list_records(IdentityPoolId=ids[0], IdentityId=ids[1], DatasetName="d")["Count"] == 1


def test_an_sqlite_file_of_another_application_is_refused(tmp_path):
    data = tmp_path / "other.db"
    with sqlite3.connect(data) as connection:
        connection.execute("CREATE TABLE customers (id INTEGER)")
    message = start_failure("--data", str(data))
    assert message == (
        "cogsync-local: cannot start: %s is an SQLite database that cogsync-local did not create (it has the tables "
        "customers); refusing to use it. Give --data a new file or one cogsync-local wrote\n" % data
    )
    with sqlite3.connect(data) as connection:
        tables = [row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
    assert tables == ["customers"]

    marked = tmp_path / "marked.db"
    with sqlite3.connect(marked) as connection:
        connection.execute("PRAGMA application_id = 1234")
    assert "its application_id is 0x4d2" in start_failure("--data", str(marked))


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    data = tmp_path / "notes.txt"
    data.write_text("hello, this is not SQLite\n" * 100)
    assert start_failure("--data", str(data)) == (
        "cogsync-local: cannot start: cannot open the data file %s: file is not a database\n" % data
    )


def test_a_data_file_is_marked_and_a_newer_schema_is_refused(start_endpoint, tmp_path):
    data = tmp_path / "state.db"
    start_endpoint("--data", str(data)).stop()
    with sqlite3.connect(data) as connection:
        assert connection.execute("PRAGMA application_id").fetchone()[0] == 0x4353794C
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        connection.execute("PRAGMA user_version = 3")
    assert "has schema version 3, written by a newer cogsync-local" in start_failure("--data", str(data))


# The tables of schema version 1, as that version created them.
VERSION_1_SCHEMA = """
PRAGMA application_id=1129544012;
PRAGMA user_version=1;
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE pools (id TEXT PRIMARY KEY, settings TEXT NOT NULL);
CREATE TABLE identities (pool TEXT NOT NULL, id TEXT NOT NULL, last_modified REAL, PRIMARY KEY (pool, id));
CREATE TABLE datasets (
    pool TEXT NOT NULL, identity TEXT NOT NULL, name TEXT NOT NULL, present INTEGER NOT NULL, creation REAL NOT NULL,
    last_modified REAL NOT NULL, last_modified_by TEXT NOT NULL, sync_count INTEGER NOT NULL, deleted_at INTEGER,
    PRIMARY KEY (pool, identity, name));
CREATE TABLE records (
    pool TEXT NOT NULL, identity TEXT NOT NULL, dataset TEXT NOT NULL, key TEXT NOT NULL, value TEXT,
    sync_count INTEGER NOT NULL, last_modified REAL NOT NULL, last_modified_by TEXT NOT NULL,
    device_last_modified REAL, PRIMARY KEY (pool, identity, dataset, key)) WITHOUT ROWID;
CREATE TABLE devices (
    pool TEXT NOT NULL, id TEXT NOT NULL, identity TEXT NOT NULL, platform TEXT NOT NULL, token TEXT NOT NULL,
    PRIMARY KEY (pool, id));
CREATE TABLE subscriptions (
    pool TEXT NOT NULL, identity TEXT NOT NULL, dataset TEXT NOT NULL, device TEXT NOT NULL,
    PRIMARY KEY (pool, identity, dataset, device));
"""


def test_a_version_1_file_is_migrated(start_endpoint, tmp_path, ids):
    pool, identity = ids
    data = tmp_path / "state.db"
    with sqlite3.connect(data) as connection:
        connection.executescript(VERSION_1_SCHEMA)
        connection.execute("INSERT INTO pools VALUES (?, ?)", (pool, '{"events": {}, "syncSessionsCount": 0}'))
        connection.execute("INSERT INTO identities VALUES (?, ?, ?)", (pool, identity, 1700000000.5))
        connection.execute("INSERT INTO datasets VALUES (?, ?, 'd', 1, 1700000000, 1700000000.5, 'me', 1, NULL)",
                           (pool, identity))
        connection.execute("INSERT INTO records VALUES (?, ?, 'd', 'k', 'v', 1, 1700000000.5, 'me', NULL)",
                           (pool, identity))
    endpoint = start_endpoint("--data", str(data))
    records = endpoint.client().list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Records"]
    assert [(r["Key"], r["Value"]) for r in records] == [("k", "v")]
    described = endpoint.client(service="cognito-identity").describe_identity(IdentityId=identity)
    assert described["CreationDate"].timestamp() == 1700000000.5
    # The migrated file takes Cognito Identity's writes.
    identities = endpoint.client(service="cognito-identity")
    created = identities.create_identity_pool(IdentityPoolName="new", AllowUnauthenticatedIdentities=True)
    identities.get_id(IdentityPoolId=created["IdentityPoolId"], Logins={})
    assert endpoint.stop() == 0
    with sqlite3.connect(data) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 2
        columns = [row[1] for row in connection.execute("PRAGMA table_info(identities)")]
        assert columns[-3:] == ["created", "logins_modified", "disabled"]
        assert connection.execute("SELECT count(*) FROM logins").fetchone()[0] == 0


def test_a_full_disk_fails_writes_with_500_and_says_why_once(start_endpoint, tmp_path, ids):
    pool, identity = ids
    endpoint = start_endpoint("--data", str(tmp_path / "state.db"))
    client = endpoint.client()
    put(client, pool, identity, "d", {"a": "1"})
    pid = endpoint.process.pid
    # A file size limit below what the database already uses fails every write, as a full disk does.
    limits = resource.prlimit(pid, resource.RLIMIT_FSIZE)
    resource.prlimit(pid, resource.RLIMIT_FSIZE, (4096, limits[1]))
    try:
        for key in ("b", "c"):
            with pytest.raises(ClientError) as excinfo:
                put(client, pool, identity, "d", {key: "2" * 100000})
            assert error_of(excinfo)[:2] == ("InternalErrorException", 500)
    finally:
        resource.prlimit(pid, resource.RLIMIT_FSIZE, limits)
    put(client, pool, identity, "d", {"d": "3"})
    assert endpoint.process.poll() is None
    endpoint.log.seek(0)
    lines = [line for line in endpoint.log.read().splitlines() if "cannot write" in line]
    assert len(lines) == 1, lines
    assert lines[0].startswith("cogsync-local: cannot write to the data file %s: SQLite error " % (tmp_path / "state.db"))
    assert "SQLite error 10: disk I/O error;" in lines[0]
    records = client.list_records(IdentityPoolId=pool, IdentityId=identity, DatasetName="d")["Records"]
    assert sorted(r["Key"] for r in records) == ["a", "d"]
