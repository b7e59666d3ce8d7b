# Voir les stopped tasks
aws ecs list-tasks \
  --cluster my-cluster \
  --desired-status STOPPED

# Voir pourquoi elle s'est arrêtée
aws ecs describe-tasks \
  --cluster my-cluster \
  --tasks task-id-xxx \
  --query 'tasks[0].{StopCode:stopCode,StopReason:stoppedReason,Container:containers[0].reason}'
