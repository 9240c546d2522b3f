"""`sitegen init`: the starter archive builds, anchors its note, publishes under a subpath."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest

from conftest import REPO
from generator import scaffold
from generator.build import analyse, build
from generator.cli import main
from generator.config import load_config
from generator.errors import SiteError
from test_publishing import check_workflow, links_in, local_file


def test_starter_archive_has_every_file_and_builds_without_warnings(tmp_path):
    root = scaffold.create_archive(tmp_path / "myarchive")
    files = sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())
    assert files == [
        ".github/workflows/pages.yml",
        ".gitignore",
        "README.md",
        "content/articles/example-library-hours.md",
        "content/entities/riverside-public-library.md",
        "content/notes/evening-visitors.md",
        "requirements.txt",
        "sitegen.yaml",
    ]
    assert (root / ".gitignore").read_text().split("\n")[1:3] == ["site/", ".sitegen-cache/"]
    result = build(root, base_url="https://user.github.io/myarchive", search=False)
    assert result.warnings == ()
    analysis = analyse(root, load_config(root))
    assert analysis.anchors["evening-visitors"].tier == "exact"
    [article] = analysis.archive.articles
    assert all(image.credit for image in article.images) and article.images


def test_starter_site_works_under_the_repository_subpath(tmp_path):
    """What GitHub Pages serves for a repository named 'myarchive': every link under /myarchive/."""
    root = scaffold.create_archive(tmp_path / "myarchive")
    build(root, base_url="https://user.github.io/myarchive", search=False)
    site = root / "site"
    checked = 0
    for page in site.rglob("*.html"):
        for url in links_in(page.read_text(encoding="utf-8")):
            url = url.removeprefix("https://user.github.io")
            target = local_file(site, url, prefix="/myarchive/")
            if target is not None:
                assert target.is_file(), f"{page.relative_to(site)} links to missing {url}"
                checked += 1
    assert checked > 50
    assert "<mark" in (site / "articles/example-library-hours/index.html").read_text()


def test_init_refuses_a_folder_that_is_not_empty(tmp_path, capsys):
    (tmp_path / "existing").mkdir()
    (tmp_path / "existing" / "notes.txt").write_text("mine")
    with pytest.raises(SiteError, match="not empty"):
        scaffold.create_archive(tmp_path / "existing")
    assert main(["init", str(tmp_path / "existing")]) == 1
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in (tmp_path / "existing").iterdir()] == ["notes.txt"]
    (tmp_path / "afile").write_text("x")
    with pytest.raises(SiteError, match="is a file"):
        scaffold.create_archive(tmp_path / "afile")


def test_init_accepts_an_empty_folder_and_the_cli_says_what_next(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["init", str(tmp_path / "empty")]) == 0
    assert "sitegen build" in capsys.readouterr().out
    assert (tmp_path / "empty" / "sitegen.yaml").is_file()


def test_requirements_pin_the_git_commit_sitegen_was_installed_from(monkeypatch):
    class Recorded:
        def read_text(self, name):
            assert name == "direct_url.json"
            return json.dumps({"url": "https://github.com/someone/sitegen.git", "vcs_info": {"vcs": "git", "commit_id": "a" * 40}})

    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Recorded())
    assert scaffold.install_spec() == f"sitegen @ git+https://github.com/someone/sitegen.git@{'a' * 40}"


def test_without_a_recorded_origin_the_pin_is_the_documented_placeholder(monkeypatch, tmp_path):
    class Editable:
        def read_text(self, name):
            return None

    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Editable())
    root = scaffold.create_archive(tmp_path / "a")
    requirement = [line for line in (root / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert requirement == [f"sitegen @ git+{scaffold.PLACEHOLDER_REPOSITORY}@v{scaffold.__version__}"]
    assert "OWNER/sitegen" in (root / "README.md").read_text()
    assert 'grep -q "github.com/OWNER/" requirements.txt' in (root / ".github/workflows/pages.yml").read_text()


@pytest.mark.validator
def test_starter_workflow_passes_the_schema_and_zizmor(tmp_path):
    root = scaffold.create_archive(tmp_path / "myarchive")
    workflow = root / ".github/workflows/pages.yml"
    check_workflow(workflow)
    text = workflow.read_text()
    assert "python -m pip install -r requirements.txt" in text
    assert "cache-dependency-path: requirements.txt" in text
    project = (REPO / ".github/workflows/pages.yml").read_text()
    assert re.findall(r"uses: (\S+)", text) == re.findall(r"uses: (\S+)", project), "both workflows pin the same actions"


def test_a_regular_install_of_sitegen_builds_the_starter(tmp_path):
    """What the Pages workflow does: install sitegen from a built package (not editable), init, build."""
    wheel_dir = tmp_path / "wheel"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(REPO)], check=True, capture_output=True)
    [wheel] = wheel_dir.glob("*.whl")
    target = tmp_path / "installed"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True, capture_output=True)
    script = "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))"
    env = {"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"}
    archive = tmp_path / "myarchive"
    subprocess.run([sys.executable, "-c", script, "init", str(archive)], check=True, env=env, capture_output=True, cwd=tmp_path)
    built = subprocess.run([sys.executable, "-c", script, "build", "--no-search", "--base-url", "https://u.github.io/myarchive"], env=env, capture_output=True, text=True, cwd=archive)
    assert built.returncode == 0, built.stderr
    assert (archive / "site/articles/example-library-hours/index.html").is_file()


def test_init_says_what_requirements_txt_pins_and_flags_the_placeholder(monkeypatch, tmp_path, capsys):
    class Editable:
        def read_text(self, name):
            return None

    monkeypatch.setattr(scaffold.metadata, "distribution", lambda name: Editable())
    assert main(["init", str(tmp_path / "a")]) == 0
    out = capsys.readouterr().out
    pinned = [line for line in (tmp_path / "a" / "requirements.txt").read_text().splitlines() if not line.startswith("#")]
    assert f"requirements.txt pins the sitegen that GitHub Pages installs: {pinned[0]}" in out
    assert "this is a placeholder" in out
