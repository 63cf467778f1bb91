"""The checks a written blog post passes, as for product copy: no numbers or claims the
products do not state, the products named, the language asked for, a title and a body. They
give its confidence score and the reasons that lowered it (kept on the post)."""

from domain.blog.post_brief import PostBrief, PostDraft
from domain.generation.claims import invented_claims, invented_numbers, invented_quantities
from domain.generation.languages import is_written_in
from domain.generation.reference import language_name
from domain.generation.text import visible_text

MISSING = 0.4
INVENTED_NUMBER = 0.35
INVENTED_CLAIM = 0.35
WRONG_LANGUAGE = 0.4
PRODUCT_MISSING = 0.15


def validate_post(brief: PostBrief, draft: PostDraft) -> tuple[float, tuple[str, ...]]:
    failed: list[tuple[float, str]] = []
    body = visible_text(draft.content)
    if not draft.title.strip():
        failed.append((MISSING, "The title is missing."))
    if not body.strip():
        failed.append((MISSING, "The content is missing."))
    copy = "\n".join([draft.title, body, draft.excerpt, draft.meta_title, draft.meta_description])
    source = brief.source_text()
    numbers = invented_numbers(copy, source) + invented_quantities(copy, source)
    if numbers:
        failed.append((INVENTED_NUMBER,
                       f"Numbers not in the products' data: {', '.join(numbers[:5])}."))
    claims = invented_claims(copy, source)
    if claims:
        failed.append((INVENTED_CLAIM,
                       f"Claims not in the products' data: {', '.join(claims[:5])}."))
    missing = [p.name for p in brief.products if p.name.lower() not in copy.lower()]
    if missing:
        failed.append((PRODUCT_MISSING, f"Products not named in the post: {', '.join(missing[:5])}."))
    if is_written_in(body, brief.settings.language) is False:
        failed.append((WRONG_LANGUAGE,
                       f"The post does not read as {language_name(brief.settings.language)}."))
    score = max(0.0, 1.0 - sum(weight for weight, _ in failed))
    return round(score, 2), tuple(reason for _, reason in failed)
