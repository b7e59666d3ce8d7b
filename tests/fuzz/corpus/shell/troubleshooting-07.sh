aws iam list-attached-role-policies \
  --role-name ecsTaskExecutionRole

# Doit contenir AmazonECSTaskExecutionRolePolicy
