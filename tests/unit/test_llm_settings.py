"""LLM settings: read from the environment, passed to child processes, keys never shown."""

import pytest

from adapters.settings import Settings
from workers.runtime import child_env


def test_llm_settings_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-platform")
    monkeypatch.setenv("DEEPSEEK_API_KEY", "ds-platform")
    monkeypatch.setenv("COPYDESK_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("COPYDESK_LLM_CONCURRENCY", "48")
    monkeypatch.setenv("COPYDESK_LLM_TIMEOUT_SECONDS", "12.5")
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    settings = Settings.from_env()
    assert (settings.anthropic_api_key, settings.deepseek_api_key, settings.openai_api_key) == (
        "sk-ant-platform", "ds-platform", "")
    assert settings.openai_base_url == "http://127.0.0.1:9/v1"
    assert (settings.llm_concurrency, settings.llm_timeout_seconds) == (48, 12.5)


def test_defaults_point_at_the_providers() -> None:
    settings = Settings()
    assert settings.deepseek_base_url == "https://api.deepseek.com"
    assert settings.google_base_url == "https://generativelanguage.googleapis.com/v1beta/openai/"
    assert (settings.llm_concurrency, settings.llm_timeout_seconds) == (32, 60.0)


def test_keys_are_not_shown_when_settings_are_printed() -> None:
    settings = Settings(anthropic_api_key="sk-ant-hidden", google_api_key="AIza-hidden")
    assert "hidden" not in repr(settings) and "hidden" not in str(settings)


def test_child_processes_get_the_llm_settings() -> None:
    env = child_env(Settings(openai_api_key="sk-openai-platform", llm_concurrency=16,
                             anthropic_base_url="http://127.0.0.1:9"))
    assert env["OPENAI_API_KEY"] == "sk-openai-platform"
    assert env["COPYDESK_LLM_CONCURRENCY"] == "16"
    assert env["COPYDESK_ANTHROPIC_BASE_URL"] == "http://127.0.0.1:9"
