package io.cfmesos.scheduler;

public final class Main {
    public static void main(String[] args) {
        System.out.println("cf-mesos");
    }
}
