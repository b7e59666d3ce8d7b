aws ecr get-login --no-include-email
aws ecs list-clusters --output yaml
aws logs tail /ecs/app --since 10m --follow
