"""`import microscout` exposes exactly the documented services, and each of them exists."""

from __future__ import annotations

import microscout


def test_every_exported_name_exists_and_nothing_private_leaks() -> None:
    for name in microscout.__all__:
        assert hasattr(microscout, name), name
    public = {n for n in dir(microscout) if not n.startswith("_")}
    # submodules and the `from __future__ import annotations` feature flag are not API
    modules = {"adapters", "bootstrap", "config", "core", "errors", "services", "demo", "cli"}
    modules.update(("resources", "web"))
    modules.add("annotations")
    assert public - modules <= set(microscout.__all__)


def test_services_are_callable() -> None:
    services = ("import_path", "score", "list_creators", "creator_stats", "build_demo")
    for name in (*services, "search", "similar", "vet", "plan"):
        assert callable(getattr(microscout, name))
