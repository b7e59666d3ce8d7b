# 1. Utiliser Service Discovery (Cloud Map)
# 2. Ou passer par ALB interne
# 3. Vérifier Security Groups bidirectionnels
