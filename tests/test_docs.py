"""The docs stay honest: every command has help with an example and appears in the README."""

from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"


def test_every_command_has_help_with_an_example_and_is_in_the_readme():
    readme = README.read_text()
    runner = CliRunner()
    for name in cli.commands:
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example" in result.output, name
        assert f"kg {name}" in readme, name


def test_readme_opens_with_the_two_make_commands():
    first_block = README.read_text().split("```")[1]
    assert "make demo" in first_block and "make test" in first_block
