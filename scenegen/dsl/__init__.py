"""Scenario language: parse and validate scenario files into ScenarioSpec."""
