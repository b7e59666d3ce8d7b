# Voir état des targets
aws elbv2 describe-target-health \
  --target-group-arn arn:aws:elasticloadbalancing:...

# Causes courantes :
# - Health check path incorrect
# - Port mismatch
# - Security Group bloque ALB → Task
