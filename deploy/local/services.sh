# The services the local scripts run: name and port. Sourced.
SERVICES=(wallet-service:8081 webhook-gateway:8082 auction-service:8083 buyer-registry:8084)
