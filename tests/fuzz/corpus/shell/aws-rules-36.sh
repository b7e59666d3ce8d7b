aws ecs describe-services --cluster c --services s --query 'services[0].event'
