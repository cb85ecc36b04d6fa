package com.nova.kit.probe;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** Gives the kit's test application an entity, as every service has. */
@Entity
@Table(name = "kit_probe")
public class ProbeEntity extends PanacheEntityBase {

    @Id
    public Long id;

    public String name;
}
