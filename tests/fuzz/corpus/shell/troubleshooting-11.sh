# 1. Voir les logs CloudWatch
aws logs tail /ecs/ma-app --since 10m

# 2. Vérifier le exit code
aws ecs describe-tasks \
  --cluster my-cluster \
  --tasks task-id-xxx \
  --query 'tasks[0].containers[0].exitCode'

# Exit codes communs :
# 0   = Normal exit
# 1   = Application error
# 137 = OOM killed (Out of Memory)
# 139 = Segmentation fault
# 143 = SIGTERM (graceful shutdown)
