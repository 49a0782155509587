import datetime
import io

from django.core.management import call_command
from django.utils import timezone

from masthead.core.tests.statistics import analyses
from masthead.discussion.models import Comment
from masthead.publishing.models import Post

pytestmark = analyses


def test_generate_spreads_numbered_threads_over_the_posts():
    call_command("generate", "--posts", "3", "--comments", "31", stdout=io.StringIO())
    assert Comment.objects.count() == 31
    for post in Post.objects.all():
        numbers = list(post.comments.order_by("number").values_list("number", flat=True))
        assert numbers == list(range(1, len(numbers) + 1))
        assert post.comment_count == len(numbers)
        for reply in post.comments.exclude(parent=None):
            assert reply.parent.post_id == post.pk and reply.parent.number < reply.number
    assert sorted(Post.objects.values_list("comment_count", flat=True)) == [10, 10, 11]


def test_generating_more_comments_continues_the_numbers():
    call_command("generate", "--posts", "1", "--comments", "5", stdout=io.StringIO())
    from masthead.discussion.generate import comments_generate

    post = Post.objects.get()
    comments_generate(post_ids=[post.pk], count=4, seed=2)
    assert list(post.comments.values_list("number", flat=True).order_by("number")) == list(
        range(1, 10)
    )


def test_generated_comments_follow_each_other_and_none_is_in_the_future():
    call_command("generate", "--posts", "1", "--comments", "0", stdout=io.StringIO())
    from masthead.discussion.generate import comments_generate

    post = Post.objects.get()
    post.published_at = timezone.now() - datetime.timedelta(minutes=10)
    post.save()
    comments_generate(post_ids=[post.pk], count=500, seed=1)
    comments_generate(post_ids=[post.pk], count=5, seed=2)
    times = list(post.comments.order_by("number").values_list("created_at", flat=True))
    assert len(times) == 505
    assert post.published_at < times[0]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert times[-1] <= timezone.now()
