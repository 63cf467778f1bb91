"""The SEO score of a blog post: deterministic, 0 to 100, every check explained and every
failed one with a recommendation; a well-made post scores high and a bare one low."""

from domain.blog.seo_score import PostText, score_post

SENTENCE = "Our trail shoes grip wet rock and dry quickly after a river crossing."
GOOD = PostText(
    title="Trail shoes for wet mountain paths this autumn",
    content=("<p>Trail shoes decide how a wet path feels. " + SENTENCE + "</p>"
             "<h2>Why trail shoes need grip</h2><p>" + " ".join([SENTENCE] * 12) + "</p>"
             '<h2>Our trail shoes</h2><p>See the <a href="/products/ridge">Ridge runner</a>.'
             ' Trail shoes last longer when dried slowly.</p>'
             '<h3>Care</h3><p><img src="/ridge.png" alt="Ridge runner trail shoe"> '
             + " ".join([SENTENCE] * 12) + " Trail shoes again.</p>"),
    slug="trail-shoes-for-wet-paths", meta_title="Trail shoes for wet mountain paths this autumn",
    meta_description=("Trail shoes for wet mountain paths: what grip, drying and care mean,"
                      " and which of our trail shoes suit rocky, muddy routes in autumn weather."))


def test_a_well_made_post_scores_high_and_every_check_passes_or_says_what_to_do() -> None:
    result = score_post(GOOD, "trail shoes")
    assert result.score >= 85, [(c.id, c.detail) for c in result.checks if not c.passed]
    assert len(result.checks) == 12
    assert sum(c.max_points for c in result.checks) == 100
    for check in result.checks:
        assert check.detail
        assert check.passed == (check.recommendation == "")


def test_the_same_post_always_scores_the_same() -> None:
    assert score_post(GOOD, "trail shoes") == score_post(GOOD, "trail shoes")


def test_a_bare_post_scores_low_with_a_recommendation_for_each_failed_check() -> None:
    bare = PostText(title="News", content="<h1>News</h1><p>Something happened here today and"
                    " we wanted to write about it at length without stopping for breath or"
                    " punctuation for a very long time indeed so that it goes on</p>",
                    slug="news", meta_title="", meta_description="Short.")
    result = score_post(bare, "trail shoes")
    assert result.score <= 25
    failed = {c.id for c in result.checks if not c.passed}
    assert {"keyword_in_title", "keyword_in_first_paragraph", "keyword_in_headings",
            "keyword_in_slug", "keyword_density", "meta_description_length",
            "heading_structure", "readability", "links", "image_alt_texts",
            "content_length"} <= failed
    assert len(result.recommendations) == len(failed)


def test_keyword_stuffing_and_images_without_alt_texts_lose_points() -> None:
    stuffed = PostText(title="Trail shoes", content="<p>" + "trail shoes " * 40 + "</p>"
                       '<img src="/a.png">', slug="trail-shoes", meta_title="Trail shoes",
                       meta_description="Trail shoes.")
    result = {c.id: c for c in score_post(stuffed, "Trail Shoes").checks}
    assert not result["keyword_density"].passed
    assert "stuffing" in result["keyword_density"].recommendation
    assert not result["image_alt_texts"].passed and "1 without alt" in result[
        "image_alt_texts"].detail
