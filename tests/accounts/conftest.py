import pytest


@pytest.fixture(autouse=True)
def mail_sent_at_once(monkeypatch):
    """Password-link e-mails go out through a Celery task after commit (accounts.mail);
    these tests run inside a transaction that never commits, so the task runs at once, in
    the test, as a worker would after commit. tests/accounts/test_mail_task.py overrides
    this fixture and covers the commit and the task themselves."""
    from accounts import mail
    from accounts.tasks import password_link_email

    def run_now(user_id, kind, sent_by_id):
        password_link_email.apply(args=(user_id, kind, sent_by_id), throw=True)

    monkeypatch.setattr(mail, "_queue", run_now)
