variable "name" {
  description = "Name of the network and prefix of its resources' names, e.g. booking-dev."
  type        = string
}

variable "region" {
  description = "AWS region of the VPC, e.g. eu-north-1."
  type        = string
}

variable "cidr_block" {
  description = "The VPC's address range, a /16: each zone gets a /24 public and a /20 private subnet from it."
  type        = string
}

variable "availability_zones" {
  description = "Zones to spread the subnets over; one public and one private subnet in each."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "The load balancer and the database need at least two availability zones."
  }
}

variable "nat_gateways" {
  description = "NAT gateways for the private subnets' outbound traffic: 1 to save cost, one per zone to survive a zone's loss."
  type        = number

  validation {
    condition     = var.nat_gateways >= 1 && var.nat_gateways <= length(var.availability_zones)
    error_message = "Between 1 and one per availability zone."
  }
}

variable "namespace" {
  description = "Private DNS namespace the services register in, e.g. booking-dev.internal."
  type        = string
}
