"""REST API routes of challenges, included into /api/v1/ (URL names in the ``api`` namespace)."""

from rest_framework.routers import SimpleRouter

from .api import ApplicationViewSet, ChallengeViewSet, MilestoneViewSet

router = SimpleRouter()
router.register("challenges/applications", ApplicationViewSet, basename="challenge-application")
router.register("challenges/milestones", MilestoneViewSet, basename="challenge-milestone")
router.register("challenges", ChallengeViewSet, basename="challenge")

urlpatterns = router.urls
