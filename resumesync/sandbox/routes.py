"""Every endpoint of the sandbox and the path it answers on."""

from __future__ import annotations

from resumesync.sandbox import (
    artifacts,
    authorization,
    creation,
    employers,
    lists,
    metro,
    public_dictionaries,
    resumes,
)
from resumesync.sandbox.calls import Route, route


def all_routes() -> list[Route]:
    return [
        route("GET", "/resumes/mine", resumes.mine),
        route("GET", "/resumes/creation_availability", creation.creation_availability),
        route("POST", "/resumes", creation.create_resume),
        route("GET", "/resume_conditions", creation.new_conditions),
        route("GET", "/resumes/{resume_id}", resumes.get_resume),
        route("PUT", "/resumes/{resume_id}", resumes.edit_resume),
        route("POST", "/resumes/{resume_id}/publish", resumes.publish),
        route("GET", "/resumes/{resume_id}/conditions", resumes.conditions),
        route("GET", "/resumes/{resume_id}/access_types", lists.access_types_of),
        route("GET", "/resumes/{resume_id}/{list_type}", lists.get_list),
        route("POST", "/resumes/{resume_id}/{list_type}", lists.add_to_list),
        route("DELETE", "/resumes/{resume_id}/{list_type}", lists.clear_list),
        route("DELETE", "/resumes/{resume_id}/{list_type}/employer", lists.remove_from_list),
        route("GET", "/resumes/{resume_id}/{list_type}/search", employers.visibility_search),
        route("GET", "/employers", employers.search, needs_token=False),
        route("GET", "/employers/{employer_id}", lists.employer, needs_token=False),
        route("GET", "/metro/{city_id}", metro.city_metro, needs_token=False),
        route("GET", "/dictionaries", public_dictionaries.all_dictionaries, needs_token=False),
        route("GET", "/languages", public_dictionaries.languages, needs_token=False),
        route("GET", "/industries", public_dictionaries.industries, needs_token=False),
        route(
            "GET",
            "/professional_roles",
            public_dictionaries.professional_roles,
            needs_token=False,
        ),
        route("GET", "/locales/resume", public_dictionaries.resume_locales, needs_token=False),
        route("GET", "/areas/{area_id}", public_dictionaries.area, needs_token=False),
        route("GET", "/artifacts/{artifact_type}", artifacts.list_artifacts),
        route("GET", "/artifacts/{artifact_type}/conditions", artifacts.conditions),
        route("POST", "/artifacts", artifacts.upload),
        route("PUT", "/artifacts/{artifact_id}", artifacts.edit),
        route("DELETE", "/artifacts/{artifact_id}", artifacts.delete),
        route("GET", "/oauth/authorize", authorization.authorize_page, needs_token=False),
        route("POST", "/oauth/authorize", authorization.authorize_decision, needs_token=False),
        route("POST", "/token", authorization.token, needs_token=False),
        route("POST", "/oauth/token", authorization.token, needs_token=False),  # the older one
        route("DELETE", "/oauth/token", authorization.revoke),
        route("GET", "/me", authorization.me),
    ]
