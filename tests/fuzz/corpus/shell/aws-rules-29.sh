aws ecs describe-services --cluster c
