"""rename-key.lua and delete-key.lua: one key changed across identities, with and without --dry-run."""

from testkit import new_id


def values(local, pool, identity):
    return {k: r["Value"] for k, r in local.live(pool, identity, "settings").items()}


def setup_pool(local, tmp_path):
    pool = new_id()
    ids = [new_id() for _ in range(6)]
    for i, identity in enumerate(ids[:4]):
        local.put(pool, identity, "settings", {"colour": "c%d" % i, "size": "s%d" % i})
    local.put(pool, ids[4], "settings", {"size": "only"})            # no colour: left alone
    local.put(pool, ids[5], "settings", {"colour": "red", "color": "blue"})  # NEW already differs: a conflict
    ids_file = tmp_path / "ids.txt"
    ids_file.write_text("\n".join(ids) + "\n")
    return pool, ids, ids_file


def snapshot(local, pool, ids):
    return {identity: local.records(pool, identity, "settings") for identity in ids}


def test_rename_key_dry_run_changes_nothing(local, tmp_path):
    pool, ids, ids_file = setup_pool(local, tmp_path)
    before = snapshot(local, pool, ids)
    for options, args in (([], ["--dry-run"]), (["--dry-run"], [])):
        done = local.run("rename-key.lua", pool, ids_file, "settings", "colour", "color", *args, options=options,
                         check=False)
        assert done.returncode == 1  # the conflicting identity
        assert done.stdout.count("would rename ") == 4
        assert "6 identities: 0 renamed, 4 would rename, 1 without colour, 1 conflicts, 0 failed" in done.stdout
    assert snapshot(local, pool, ids) == before


def test_rename_key_moves_the_value_and_leaves_conflicts_alone(local, tmp_path):
    pool, ids, ids_file = setup_pool(local, tmp_path)
    done = local.run("rename-key.lua", pool, ids_file, "settings", "colour", "color", check=False)
    assert done.returncode == 1
    assert "conflict %s: color already holds a different value" % ids[5] in done.stdout
    assert "6 identities: 4 renamed, 0 would rename, 1 without colour, 1 conflicts, 0 failed" in done.stdout
    for i, identity in enumerate(ids[:4]):
        assert values(local, pool, identity) == {"color": "c%d" % i, "size": "s%d" % i}
        # One update: the new key and the old key's tombstone share the dataset's new sync count.
        records = {r["Key"]: r for r in local.records(pool, identity, "settings")}
        assert "Value" not in records["colour"]
        assert records["colour"]["SyncCount"] == records["color"]["SyncCount"] == 2
    assert values(local, pool, ids[4]) == {"size": "only"}
    assert values(local, pool, ids[5]) == {"colour": "red", "color": "blue"}

    # Again: nothing left to rename; --overwrite settles the conflict.
    again = local.run("rename-key.lua", pool, ids_file, "settings", "colour", "color", "--overwrite")
    assert "6 identities: 1 renamed, 0 would rename, 5 without colour, 0 conflicts, 0 failed" in again.stdout
    assert values(local, pool, ids[5]) == {"color": "red"}


def test_delete_key_with_dry_run_then_for_real(local, tmp_path):
    pool, ids, ids_file = setup_pool(local, tmp_path)
    before = snapshot(local, pool, ids)
    dry = local.run("delete-key.lua", pool, ids_file, "settings", "size", options=["--dry-run"])
    assert "6 identities: 0 deleted, 5 would delete, 1 without size, 0 failed" in dry.stdout
    assert snapshot(local, pool, ids) == before

    done = local.run("delete-key.lua", pool, ids_file, "settings", "size", "--concurrency", "2")
    assert "6 identities: 5 deleted, 0 would delete, 1 without size, 0 failed" in done.stdout
    for identity in ids:
        assert "size" not in values(local, pool, identity)
    assert values(local, pool, ids[0]) == {"colour": "c0"}

    again = local.run("delete-key.lua", pool, ids_file, "settings", "size")
    assert "6 identities: 0 deleted, 0 would delete, 6 without size, 0 failed" in again.stdout


def test_key_scripts_check_their_arguments(local, tmp_path):
    missing = local.run("delete-key.lua", new_id(), check=False)
    assert missing.returncode == 2
    assert "missing IDENTITIES DATASET KEY" in missing.stderr and "usage: delete-key.lua" in missing.stderr
    same = local.run("rename-key.lua", new_id(), tmp_path / "ids.txt", "settings", "a", "a", check=False)
    assert same.returncode == 2 and "OLD and NEW are the same key" in same.stderr
    usage = local.run("rename-key.lua", "--help")
    assert usage.stdout.startswith("usage: rename-key.lua POOL IDENTITIES|--all DATASET OLD NEW")
    # With --all the identities come from Cognito Identity, so the file's place is not taken by the dataset.
    shifted = local.run("delete-key.lua", new_id(), "--all", "settings", check=False)
    assert shifted.returncode == 2 and "missing KEY" in shifted.stderr
    export = local.run("export.lua", new_id(), "--all", check=False)
    assert export.returncode == 2 and "missing OUT" in export.stderr


def test_key_scripts_work_on_every_identity_of_the_pool_with_all(local, tmp_path):
    """--all lists the pool's identities through Cognito Identity (identities Cognito Sync wrote to are listed too),
    in place of the IDENTITIES file."""
    pool, ids, _ = setup_pool(local, tmp_path)
    listed = local.client(service="cognito-identity").list_identities(IdentityPoolId=pool, MaxResults=60)
    assert sorted(i["IdentityId"] for i in listed["Identities"]) == sorted(ids)
    renamed = local.run("rename-key.lua", pool, "--all", "settings", "colour", "color", check=False)
    assert renamed.returncode == 1
    assert "6 identities: 4 renamed, 0 would rename, 1 without colour, 1 conflicts, 0 failed" in renamed.stdout
    deleted = local.run("delete-key.lua", "--all", pool, "settings", "size")
    assert "6 identities: 5 deleted, 0 would delete, 1 without size, 0 failed" in deleted.stdout
    assert values(local, pool, ids[0]) == {"color": "c0"}
