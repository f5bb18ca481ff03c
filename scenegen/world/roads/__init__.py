"""Roads: reference lines, the road-frame API, templates, markings and roadside dressing."""
